//! Where to cut a picture for a given shape: the largest rectangle of an aspect ratio that
//! keeps the focal point as central as the edges allow. Pure integer and float arithmetic in
//! pixels of the (already oriented) picture.
//!
//! Every function returns a rectangle inside the picture and at least 1×1, whatever the
//! input: a side of 0 counts as 1 pixel, an aspect ratio that is not a positive finite number
//! counts as the picture's own, and a focal point outside 0..=1 is clamped (not a number: the
//! centre).

use serde::Serialize;

use super::FocalPoint;

/// A rectangle in pixels, from the top left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    /// The whole of a `width` × `height` picture.
    pub fn full(width: u32, height: u32) -> Rect {
        Rect {
            x: 0,
            y: 0,
            width,
            height,
        }
    }

    /// Width over height (0 for a rectangle of no height).
    pub fn aspect(&self) -> f64 {
        if self.height == 0 {
            0.0
        } else {
            f64::from(self.width) / f64::from(self.height)
        }
    }

    /// Whether `self` lies entirely inside a `width` × `height` picture.
    pub fn fits_in(&self, width: u32, height: u32) -> bool {
        u64::from(self.x) + u64::from(self.width) <= u64::from(width)
            && u64::from(self.y) + u64::from(self.height) <= u64::from(height)
    }
}

/// How to round a side that does not come out whole.
#[derive(Clone, Copy)]
enum Side {
    /// The crop keeps the full width and cuts the height.
    CutHeight,
    /// The crop keeps the full height and cuts the width.
    CutWidth,
}

/// The largest rectangle of `aspect` (width / height) inside a `width` × `height` picture,
/// centred on `focal` as far as the edges allow.
pub fn around_focal(width: u32, height: u32, focal: FocalPoint, aspect: f32) -> Rect {
    let (w, h) = (width.max(1), height.max(1));
    let aspect = widen(aspect);
    if !(aspect.is_finite() && aspect > 0.0) {
        return Rect::full(w, h);
    }
    let own = f64::from(w) / f64::from(h);
    let side = if own > aspect {
        Side::CutWidth
    } else {
        Side::CutHeight
    };
    place(w, h, focal, size(w, h, aspect, side))
}

/// `None` when the picture's aspect ratio is already within `min_aspect..=max_aspect`, else
/// the largest crop at the nearest bound, around `focal`. The crop's aspect ratio is then
/// within the range too (rounding goes the safe way). Bounds that are not positive finite
/// numbers give `None`; bounds in the wrong order are swapped.
pub fn fit_aspect(
    width: u32,
    height: u32,
    focal: FocalPoint,
    min_aspect: f32,
    max_aspect: f32,
) -> Option<Rect> {
    let (w, h) = (width.max(1), height.max(1));
    let (mut min, mut max) = (widen(min_aspect), widen(max_aspect));
    let valid = |v: f64| v.is_finite() && v > 0.0;
    if !(valid(min) && valid(max)) {
        return None;
    }
    if min > max {
        std::mem::swap(&mut min, &mut max);
    }
    let own = f64::from(w) / f64::from(h);
    let (mut cw, mut ch) = if own < min {
        // Too tall: keep the width, cut the height down to at most width / min.
        size(w, h, min, Side::CutHeight)
    } else if own > max {
        // Too wide: keep the height, cut the width down to at most height × max.
        size(w, h, max, Side::CutWidth)
    } else {
        return None;
    };
    // Rounding down already errs on the right side; these loops only catch float noise.
    while own < min && ch > 1 && f64::from(cw) / f64::from(ch) < min {
        ch -= 1;
    }
    while own > max && cw > 1 && f64::from(cw) / f64::from(ch) > max {
        cw -= 1;
    }
    Some(place(w, h, focal, (cw, ch)))
}

/// An aspect ratio as the caller meant it: `0.8f32` is 0.800000011920929, which would make
/// 1080 × 1350 "too tall" by a hair; six decimals are more than any ratio needs.
fn widen(aspect: f32) -> f64 {
    let v = f64::from(aspect);
    if v.is_finite() {
        (v * 1e6).round() / 1e6
    } else {
        v
    }
}

/// The crop size for `aspect`, keeping one side whole and rounding the other down (never
/// below 1 or above the picture).
fn size(w: u32, h: u32, aspect: f64, side: Side) -> (u32, u32) {
    // A hair of tolerance so that 1500 / 3.0 stays 500 and not 499.
    let down = |v: f64| (v + 1e-6).floor().clamp(1.0, f64::from(u32::MAX)) as u32;
    match side {
        Side::CutHeight => (w, down(f64::from(w) / aspect).min(h)),
        Side::CutWidth => (down(f64::from(h) * aspect).min(w), h),
    }
}

/// Places a `cw` × `ch` crop so that the focal point is at its centre, then pushes it back
/// inside the picture.
fn place(w: u32, h: u32, focal: FocalPoint, (cw, ch): (u32, u32)) -> Rect {
    let fraction = |v: f32| {
        if v.is_nan() {
            0.5
        } else {
            f64::from(v).clamp(0.0, 1.0)
        }
    };
    let start = |whole: u32, part: u32, at: f64| -> u32 {
        let centre = at * f64::from(whole);
        let ideal = (centre - f64::from(part) / 2.0).round();
        let max = f64::from(whole - part);
        ideal.clamp(0.0, max) as u32
    };
    Rect {
        x: start(w, cw, fraction(focal.x)),
        y: start(h, ch, fraction(focal.y)),
        width: cw,
        height: ch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(x: f32, y: f32) -> FocalPoint {
        FocalPoint { x, y }
    }

    #[test]
    fn a_wide_picture_is_cut_at_the_sides() {
        let r = around_focal(4000, 3000, FocalPoint::default(), 1.0);
        assert_eq!(
            r,
            Rect {
                x: 500,
                y: 0,
                width: 3000,
                height: 3000
            }
        );
    }

    #[test]
    fn a_banner_from_a_photo_keeps_the_full_width() {
        let r = around_focal(4000, 3000, FocalPoint::default(), 3.0);
        assert_eq!((r.width, r.height), (4000, 1333));
        assert_eq!(r.y, 834);
        assert_eq!(around_focal(1500, 600, at(0.5, 0.0), 3.0).height, 500);
    }

    #[test]
    fn the_focal_point_moves_the_crop_until_an_edge() {
        let left = around_focal(4000, 3000, at(0.0, 0.5), 1.0);
        assert_eq!(left.x, 0);
        let right = around_focal(4000, 3000, at(1.0, 0.5), 1.0);
        assert_eq!(right.x, 1000);
        let near_right = around_focal(4000, 3000, at(0.6, 0.5), 1.0);
        assert_eq!(near_right.x, 900);
        let top = around_focal(3000, 4000, at(0.5, 0.1), 1.0);
        assert_eq!((top.y, top.height), (0, 3000));
    }

    #[test]
    fn odd_inputs_give_a_usable_rectangle() {
        assert_eq!(
            around_focal(0, 0, FocalPoint::default(), 1.0),
            Rect::full(1, 1)
        );
        assert_eq!(
            around_focal(100, 50, FocalPoint::default(), f32::NAN),
            Rect::full(100, 50)
        );
        assert_eq!(
            around_focal(100, 50, at(f32::NAN, 7.0), 1.0),
            Rect {
                x: 25,
                y: 0,
                width: 50,
                height: 50
            }
        );
        assert_eq!(
            around_focal(1, 10_000, FocalPoint::default(), 1000.0).height,
            1
        );
    }

    #[test]
    fn fit_aspect_leaves_pictures_in_range_alone() {
        let focal = FocalPoint::default();
        assert_eq!(fit_aspect(1080, 1080, focal, 0.8, 1.91), None);
        assert_eq!(fit_aspect(1080, 1350, focal, 0.8, 1.91), None);
        let tall = fit_aspect(1080, 1920, focal, 0.8, 1.91).unwrap();
        assert_eq!((tall.width, tall.height), (1080, 1350));
        assert_eq!(tall.y, 285);
        let wide = fit_aspect(4000, 1000, focal, 0.8, 1.91).unwrap();
        assert_eq!((wide.width, wide.height), (1910, 1000));
        assert_eq!(fit_aspect(100, 100, focal, f32::NAN, 2.0), None);
        // Bounds in the wrong order are swapped.
        assert_eq!(fit_aspect(1080, 1920, focal, 1.91, 0.8), Some(tall));
    }

    fn focal() -> impl Strategy<Value = FocalPoint> {
        (
            prop_oneof![-1.0f32..2.0, Just(f32::NAN), Just(f32::INFINITY)],
            prop_oneof![-1.0f32..2.0, Just(f32::NAN), Just(f32::NEG_INFINITY)],
        )
            .prop_map(|(x, y)| FocalPoint { x, y })
    }

    fn side() -> impl Strategy<Value = u32> {
        prop_oneof![
            Just(0u32),
            Just(1),
            Just(u32::MAX),
            0u32..20_000,
            any::<u32>()
        ]
    }

    fn aspect() -> impl Strategy<Value = f32> {
        prop_oneof![
            0.01f32..100.0,
            Just(0.0),
            Just(-1.0),
            Just(f32::NAN),
            Just(f32::INFINITY),
            Just(f32::MIN_POSITIVE),
            Just(f32::MAX)
        ]
    }

    proptest! {
        #[test]
        fn around_focal_stays_inside_and_is_never_empty(
            w in side(), h in side(), f in focal(), a in aspect()
        ) {
            let r = around_focal(w, h, f, a);
            prop_assert!(r.width >= 1 && r.height >= 1);
            prop_assert!(r.fits_in(w.max(1), h.max(1)), "{r:?} in {w}x{h}");
            // Largest: one side is whole.
            prop_assert!(r.width == w.max(1) || r.height == h.max(1));
        }

        #[test]
        fn around_focal_has_the_asked_aspect(
            w in 1u32..10_000, h in 1u32..10_000, f in focal(), a in 0.1f32..10.0
        ) {
            let r = around_focal(w, h, f, a);
            // Within one pixel of the exact size on the cut side, for the ratio as `widen`
            // reads it (six decimals: 0.69443333 is 0.694433, which is a pixel less on 9,808).
            let exact_w = f64::from(r.height) * widen(a);
            let exact_h = f64::from(r.width) / widen(a);
            prop_assert!(
                (f64::from(r.width) - exact_w).abs() <= 1.0
                    || (f64::from(r.height) - exact_h).abs() <= 1.0
                    || r.width == 1 || r.height == 1,
                "{r:?} for {a}"
            );
        }

        #[test]
        fn fit_aspect_lands_in_range(
            w in side(), h in side(), f in focal(), a in aspect(), b in aspect()
        ) {
            if let Some(r) = fit_aspect(w, h, f, a, b) {
                prop_assert!(r.width >= 1 && r.height >= 1);
                prop_assert!(r.fits_in(w.max(1), h.max(1)));
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                let (lo, hi) = (f64::from(lo) - 1e-6, f64::from(hi) + 1e-6);
                let own = f64::from(w.max(1)) / f64::from(h.max(1));
                let got = r.aspect();
                // The crop reaches the bound it was cut to (only a 1-pixel side can stop it).
                if got > own {
                    prop_assert!(got >= lo || r.height == 1, "{r:?} aspect {got} < {lo}");
                } else if got < own {
                    prop_assert!(got <= hi || r.width == 1, "{r:?} aspect {got} > {hi}");
                } else {
                    // Nothing to cut: a 1-pixel side.
                    prop_assert!(r.width == 1 || r.height == 1, "{r:?}");
                }
            }
        }
    }
}
