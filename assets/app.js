// Herald's only script besides htmx. The CSP forbids inline code, so behaviour hangs off
// data attributes: copy buttons, two-step confirmations, toasts, menus.
(function () {
  "use strict";

  // Two-step confirmation: the first press arms the button (and says what it will do), the
  // second, within five seconds, submits. Works the same with mouse, keyboard and touch.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (!button || button.hasAttribute("data-armed")) return;
    event.preventDefault();
    var original = button.innerHTML;
    button.setAttribute("data-armed", "");
    button.textContent = button.getAttribute("data-confirm") + " Press again";
    setTimeout(function () {
      if (!button.isConnected) return;
      button.removeAttribute("data-armed");
      button.innerHTML = original;
    }, 5000);
  });

  // Copy buttons: data-copy names the input whose value is copied.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { toast("Select the text and copy it.", true); });
    } else {
      toast("Press Ctrl+C (or ⌘C) to copy the selected text.", false);
    }
  });

  // Toasts: a close button, and they leave by themselves after a while.
  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-dismiss]");
    if (close) close.closest(".toast").remove();
  });

  function expire(root) {
    (root || document).querySelectorAll(".toast:not([data-timed])").forEach(function (el) {
      el.setAttribute("data-timed", "");
      var delay = el.classList.contains("toast-error") ? 12000 : 6000;
      setTimeout(function () { el.remove(); }, delay);
    });
  }

  function toast(text, isError) {
    var region = document.getElementById("toasts");
    if (!region) return;
    var el = document.createElement("div");
    el.className = "toast" + (isError ? " toast-error" : "");
    var p = document.createElement("p");
    p.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", "Dismiss message");
    close.textContent = "×";
    el.append(p, close);
    region.append(el);
    expire(region);
  }

  // Menus (<details>): Escape closes them, and so does a click elsewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (d) {
      d.removeAttribute("open");
      d.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (d) {
      if (!d.contains(event.target)) d.removeAttribute("open");
    });
  });

  // Media library uploads (form[data-upload]): each chosen or dropped file goes in its own
  // XMLHttpRequest, so it has its own <progress> (fed by upload.onprogress) and its own
  // result: the new tile first in the grid, or the server's refusal in words on its line.
  function uploadFile(form, file) {
    var line = document.createElement("li");
    line.className = "upload-item";
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Upload of " + file.name);
    var status = document.createElement("span");
    status.className = "upload-status";
    status.textContent = "Starting…";
    line.append(name, bar, status);
    form.querySelector("[data-upload-list]").prepend(line);
    var max = Number(form.getAttribute("data-max-bytes"));
    if (max > 0 && file.size > max) {
      // Not sent: the server would refuse it only after receiving up to its limit.
      line.classList.add("upload-failed");
      status.textContent = "file: is " + megabytes(file.size) + ", larger than " + megabytes(max) + ", the most Herald accepts";
      return;
    }

    var data = new FormData();
    data.append("alt_text", form.elements.alt_text.value);
    data.append("tags", form.elements.tags.value);
    data.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.setRequestHeader("X-CSRF-Token", form.elements.csrf_token.value);
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) return;
      // 100 % once Herald has checked and stored the file, not when the last byte leaves.
      var percent = Math.min(99, Math.floor(event.loaded * 100 / event.total));
      bar.value = percent;
      status.textContent = event.loaded < event.total ? "Uploading… " + percent + "%" : "Checking the file…";
    };
    function failed(text) {
      line.classList.add("upload-failed");
      status.textContent = text;
    }
    xhr.onload = function () {
      if (xhr.status < 200 || xhr.status >= 300) {
        failed(xhr.responseText || "The upload failed (HTTP " + xhr.status + "). Try again.");
        return;
      }
      bar.value = 100;
      line.classList.add("upload-done");
      status.textContent = xhr.status === 201 ? "Uploaded" : "Already in the library";
      addTile(xhr.responseText);
    };
    xhr.onerror = function () {
      failed("Herald could not be reached. Check your connection and try again.");
    };
    xhr.send(data);
  }

  // The answer to an upload is the item's tile: it goes first, replacing the same item's.
  function addTile(html) {
    var tiles = document.getElementById("media-tiles");
    if (!tiles) return;
    var holder = document.createElement("ul");
    holder.innerHTML = html.trim();
    var tile = holder.firstElementChild;
    if (!tile) return;
    var same = tiles.querySelector('[data-id="' + tile.getAttribute("data-id") + '"]');
    if (same) same.remove();
    tiles.prepend(tile);
    var empty = document.getElementById("media-empty");
    if (empty) empty.remove();
    // The status line above the grid counts the tiles again ("3 items", "61 or more items").
    var summary = document.getElementById("media-summary");
    if (summary) {
      var count = tiles.querySelectorAll(".media-tile").length;
      var text = summary.textContent;
      summary.textContent = count + (/or more/.test(text) ? " or more" : "") +
        (count === 1 ? " item" : " items") + (/match$/.test(text) ? " match" : "");
    }
  }

  // `12.3 MB`, as the server words sizes.
  function megabytes(bytes) {
    return (bytes / 1000000).toFixed(1) + " MB";
  }

  // Other file fields with a limit (input[data-max-bytes], and its words in data-max-label):
  // a file over it is refused at once, in a toast, and the field emptied, rather than sent
  // to be refused.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var max = Number(input.getAttribute("data-max-bytes"));
    var big = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
    if (!big.length) return;
    var limit = input.getAttribute("data-max-label") || megabytes(max);
    toast("The file " + big[0].name + " is larger than " + limit + ", the most Herald takes here. Choose a smaller file.", true);
    input.value = "";
  });

  function uploadAll(form, files) {
    Array.prototype.forEach.call(files, function (file) { uploadFile(form, file); });
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("form[data-upload] input[type=file]")) return;
    uploadAll(input.form, input.files);
    input.value = "";
  });
  function dropzone(event) {
    return event.target.closest ? event.target.closest("[data-dropzone]") : null;
  }
  document.addEventListener("dragover", function (event) {
    var zone = dropzone(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.add("dropzone-over");
  });
  document.addEventListener("dragleave", function (event) {
    var zone = dropzone(event);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("dropzone-over");
  });
  document.addEventListener("drop", function (event) {
    var zone = dropzone(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("dropzone-over");
    uploadAll(zone.closest("form[data-upload]"), event.dataTransfer.files);
  });

  // The focal point picker ([data-focal-picker] names its form): a click on the picture
  // puts the point there, in percent of the width and height, moves the marker (an SVG
  // over the picture) and saves; typing in the form's fields moves the marker too.
  function placeFocal(picker, x, y) {
    picker.querySelectorAll("[data-focal]").forEach(function (el) {
      var axis = el.getAttribute("data-focal");
      if (axis === "x") { el.setAttribute("x1", x + "%"); el.setAttribute("x2", x + "%"); }
      else if (axis === "y") { el.setAttribute("y1", y + "%"); el.setAttribute("y2", y + "%"); }
      else { el.setAttribute("cx", x + "%"); el.setAttribute("cy", y + "%"); }
    });
  }
  function percentOf(fraction) {
    return Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10;
  }
  document.addEventListener("click", function (event) {
    var img = event.target.closest ? event.target.closest("[data-focal-picker] img") : null;
    if (!img) return;
    var picker = img.closest("[data-focal-picker]");
    var form = document.getElementById(picker.getAttribute("data-focal-picker"));
    if (!form) return;
    var box = img.getBoundingClientRect();
    var x = percentOf((event.clientX - box.left) / box.width);
    var y = percentOf((event.clientY - box.top) / box.height);
    form.elements.x.value = x;
    form.elements.y.value = y;
    placeFocal(picker, x, y);
    form.requestSubmit();
  });
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (!form || !form.id) return;
    var picker = document.querySelector('[data-focal-picker="' + form.id + '"]');
    if (!picker) return;
    var x = parseFloat(form.elements.x.value);
    var y = parseFloat(form.elements.y.value);
    if (isFinite(x) && isFinite(y)) placeFocal(picker, percentOf(x / 100), percentOf(y / 100));
  });

  // Counters under text fields (data-counter names the line): the characters typed, and
  // the networks (data-limits: "X:1000,Threads:1000") the text is too long for.
  function inWords(names) {
    if (names.length < 2) return names.join("");
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.hasAttribute || !field.hasAttribute("data-counter")) return;
    var line = document.getElementById(field.getAttribute("data-counter"));
    if (!line) return;
    var count = Array.from(field.value).length;
    var over = (field.getAttribute("data-limits") || "").split(",").filter(function (pair) {
      var max = parseInt(pair.split(":")[1], 10);
      return max > 0 && count > max;
    }).map(function (pair) { return pair.split(":")[0]; });
    var text = count.toLocaleString("en") + (count === 1 ? " character" : " characters");
    if (over.length) text += ": too long for " + inWords(over);
    line.textContent = text;
    line.classList.toggle("over-limit", over.length > 0);
  });

  // Answers that are not HTML (a refused CSRF token, a too-large form) become toasts
  // instead of replacing the page; so do network failures.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (isPoll(requester(event))) return;
    var type = event.detail.xhr.getResponseHeader("Content-Type") || "";
    if (event.detail.isError && type.indexOf("text/html") !== 0) {
      event.detail.shouldSwap = false;
      toast(event.detail.xhr.responseText || "That did not work. Reload the page and try again.", true);
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (isPoll(event.detail.elt)) return;
    toast("Herald could not be reached. Check your connection and try again.", true);
  });

  // Sections that follow work under way ([data-poll]: an htmx GET every few seconds, e.g.
  // the composer's "When" while a post goes out; the server stops sending the poll once
  // nothing is in flight). A poll's answer is dropped, and the next one tries again, while
  // a field in what it would replace is being typed in or a button there is armed for its
  // second press, and when the person sent something since the poll left (that answer is
  // newer). An answer like the last one is not swapped in at all (nothing moves, focus and
  // screen readers stay put); open <details> with an id stay open. After five failures in
  // a row the poll gives up: a reload shows where things stand.
  var sent = 0;
  var lastPoll = {};
  var keepOpen = null;
  function isPoll(elt) {
    return !!(elt && elt.hasAttribute && elt.hasAttribute("data-poll"));
  }
  // The element whose request this is (htmx fires beforeSwap on the target instead).
  function requester(event) {
    var config = event.detail.requestConfig;
    return config ? config.elt : event.detail.elt;
  }
  function pollFailed(elt) {
    elt.pollFailures = (elt.pollFailures || 0) + 1;
    if (elt.pollFailures >= 5) elt.remove();
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (isPoll(elt)) {
      elt.pollSent = sent;
    } else {
      sent++;
      lastPoll = {};
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (isPoll(event.detail.elt)) pollFailed(event.detail.elt);
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = requester(event);
    if (!isPoll(elt)) return;
    if (event.detail.isError) {
      event.detail.shouldSwap = false;
      pollFailed(elt);
      return;
    }
    elt.pollFailures = 0;
    var target = event.detail.target;
    var active = document.activeElement;
    var typing = active && target.contains(active) && active.matches("input, textarea, select, [contenteditable]");
    var answer = event.detail.serverResponse;
    if (typing || target.querySelector("[data-armed]") || elt.pollSent !== sent || lastPoll[target.id] === answer) {
      event.detail.shouldSwap = false;
      return;
    }
    lastPoll[target.id] = answer;
    keepOpen = [];
    target.querySelectorAll("details[open][id]").forEach(function (d) { keepOpen.push(d.id); });
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!keepOpen) return;
    keepOpen.forEach(function (id) {
      var d = document.getElementById(id);
      if (d) d.open = true;
    });
    keepOpen = null;
  });

  // After a form comes back with errors, put the keyboard on the first field at fault;
  // otherwise keep focus in the new content so screen readers and keyboards are not lost.
  document.addEventListener("htmx:afterSettle", function (event) {
    expire(document);
    var target = event.detail.target;
    if (!target || target.id !== "main") return;
    var invalid = target.querySelector("[aria-invalid='true']");
    if (invalid) invalid.focus();
  });

  // Forms that save themselves (data-autosave, the composer): "Saving…" in the status line
  // while a save is on its way (the answer then says when it was saved or what to fix), the
  // state in data-state (unsaved, saving, error, saved), and a warning before leaving the
  // page with typing not yet saved.
  // Saves in flight are counted on their XMLHttpRequest, which reports its end even when
  // the answer redrew the form that sent it.
  var unsaved = false;
  var failed = false;
  var inflight = 0;
  function autosaveForm(el) {
    return el && el.closest ? el.closest("form[data-autosave]") : null;
  }
  function saveState() {
    var status = document.getElementById("save-status");
    if (!status) return;
    status.setAttribute("data-state", unsaved ? "unsaved" : inflight > 0 ? "saving" : failed ? "error" : "saved");
  }
  function setStatus(text) {
    var status = document.getElementById("save-status");
    if (status && status.textContent !== text) status.textContent = text;
  }
  document.addEventListener("input", function (event) {
    if (!autosaveForm(event.target)) return;
    unsaved = true;
    saveState();
  });
  document.addEventListener("htmx:beforeSend", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-discard")) {
      unsaved = false;
      return;
    }
    // Only the forms themselves save: the media picker inside the post form only reads.
    if (!autosaveForm(elt) || elt.tagName !== "FORM") return;
    var xhr = event.detail.xhr;
    unsaved = false;
    failed = false;
    inflight++;
    setStatus("Saving…");
    saveState();
    xhr.addEventListener("loadend", function () {
      inflight--;
      if (xhr.status === 0 || xhr.status >= 400) {
        failed = true;
        var status = document.getElementById("save-status");
        if (status && status.textContent === "Saving…") setStatus("Not saved. Herald tries again as you type.");
      }
      saveState();
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved || inflight > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Error slots (data-error-for) redrawn by an autosave answer mark their field invalid or
  // valid again, so screen readers and the red outline agree with the message.
  function syncInvalid() {
    document.querySelectorAll("[data-error-for]").forEach(function (slot) {
      var field = document.getElementById(slot.getAttribute("data-error-for"));
      if (!field) return;
      if (slot.hidden) field.removeAttribute("aria-invalid");
      else field.setAttribute("aria-invalid", "true");
    });
  }
  document.addEventListener("htmx:oobAfterSwap", syncInvalid);

  // A field that sits inside one form but belongs to another (form="..."), like the
  // composer's "New campaign…" fields, must not save the form around it as typing would:
  // its input events stop here, before that form's autosave hears them.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field && field.form && field.closest && field.form !== field.closest("form")) {
      event.stopPropagation();
    }
  }, true);

  // Images that do not load (a link preview's picture the site refused) leave no broken icon.
  document.addEventListener("error", function (event) {
    var img = event.target;
    if (img && img.matches && img.matches("img[data-hide-broken]")) {
      img.hidden = true;
      var card = img.closest(".link-card-with-image");
      if (card) card.classList.remove("link-card-with-image");
    }
  }, true);

  // A colour swatch's hex code (data-hex-of names its input) follows the picker.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input || !input.id || input.type !== "color") return;
    var hex = document.querySelector("[data-hex-of='" + input.id + "']");
    if (hex) hex.textContent = input.value;
  });

  // A save that typing started carries no button's value: htmx sends the focused button's
  // name with its form, and the keyboard may have reached a button (move, remove, a thread
  // part's Remove) before the save left. Buttons act only when pressed.
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    var trigger = detail.triggeringEvent;
    if (!autosaveForm(detail.elt) || !trigger || trigger.type === "submit" || !detail.formData) return;
    detail.formData.delete("media_action");
    detail.formData.delete("action");
  });

  // The composer's media: the library picker's items already in the post say "Added" and
  // do nothing; after a move or a removal the keyboard goes back to the control the answer
  // names (data-focus on the redrawn list).
  function syncPicker() {
    var attached = {};
    document.querySelectorAll("#post-media input[name='media_ids']").forEach(function (input) {
      attached[input.value] = true;
    });
    document.querySelectorAll("[data-media-pick]").forEach(function (button) {
      if (attached[button.getAttribute("data-media-pick")]) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    });
  }
  document.addEventListener("htmx:afterSettle", syncPicker);
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var list = event.target;
    if (!list || list.id !== "post-media") return;
    syncPicker();
    var focus = document.getElementById(list.getAttribute("data-focus") || "");
    if (focus) focus.focus();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-media-pick][aria-disabled='true']") : null;
    if (button) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () { expire(document); });
})();
