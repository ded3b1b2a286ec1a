// The content calendar: drag a post to another day. The drop fills the same form the "Move"
// link opens (variant, day, the page's query string, the CSRF token) and posts it with htmx,
// so both ways go through one endpoint and one set of checks.
(function () {
  "use strict";

  var dragged = null;

  // The filters fold behind their summary on narrow screens (360 px) and stand open on
  // wide ones, where there is room; after htmx redraws the page too.
  function unfoldWide() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 56rem)").matches) return;
    document.querySelectorAll("details[data-unfold-wide]").forEach(function (d) { d.open = true; });
  }
  document.addEventListener("DOMContentLoaded", unfoldWide);
  document.addEventListener("htmx:afterSettle", unfoldWide);

  function dayOf(el) {
    return el && el.closest ? el.closest(".cal [data-date]") : null;
  }

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest(".cal-item[data-move]");
    if (!item) return;
    dragged = item;
    item.classList.add("cal-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.getAttribute("data-variant"));
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("cal-dragging");
    dragged = null;
    document.querySelectorAll(".cal-drop").forEach(function (d) { d.classList.remove("cal-drop"); });
  });

  document.addEventListener("dragover", function (event) {
    var day = dayOf(event.target);
    if (!day || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    day.classList.add("cal-drop");
  });

  document.addEventListener("dragleave", function (event) {
    var day = dayOf(event.target);
    if (day && !day.contains(event.relatedTarget)) day.classList.remove("cal-drop");
  });

  document.addEventListener("drop", function (event) {
    var day = dayOf(event.target);
    if (!day || !dragged) return;
    event.preventDefault();
    day.classList.remove("cal-drop");
    var item = dragged;
    dragged = null;
    if (item.closest("[data-date]") === day) return;
    var cal = day.closest(".cal");
    if (!window.htmx || !cal) return;
    item.classList.add("cal-moving");
    window.htmx.ajax("POST", item.getAttribute("data-move"), {
      target: "#main",
      swap: "innerHTML",
      values: {
        csrf_token: cal.getAttribute("data-csrf"),
        variant: item.getAttribute("data-variant"),
        date: day.getAttribute("data-date"),
        back: cal.getAttribute("data-back")
      }
    });
  });
})();
