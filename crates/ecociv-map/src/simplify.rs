//! Douglas–Peucker line simplification (Douglas & Peucker, 1973) on projected coordinates, at a tolerance
//! in the drawing's pixels: a point is kept when leaving it out would move the line by more than the
//! tolerance. Iterative (no recursion depth to exhaust on long rings).
//!
//! Each ring is simplified on its own, so the border two neighbours share can come out slightly different
//! on each side — by at most the tolerance (under a pixel), which the areas' white outline covers.

use crate::Point;

/// Distance from `p` to the segment `a`–`b`.
fn distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length2 = dx * dx + dy * dy;
    if length2 == 0.0 {
        return ((p[0] - a[0]).powi(2) + (p[1] - a[1]).powi(2)).sqrt();
    }
    let t = (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2).clamp(0.0, 1.0);
    let (x, y) = (a[0] + t * dx, a[1] + t * dy);
    ((p[0] - x).powi(2) + (p[1] - y).powi(2)).sqrt()
}

/// Simplifies an open line, keeping its two ends.
pub fn line(points: &[Point], tolerance: f64) -> Vec<Point> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0usize, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let mut farthest = (0.0, 0usize);
        for i in first + 1..last {
            let d = distance(points[i], points[first], points[last]);
            if d > farthest.0 {
                farthest = (d, i);
            }
        }
        if farthest.0 > tolerance {
            keep[farthest.1] = true;
            stack.push((first, farthest.1));
            stack.push((farthest.1, last));
        }
    }
    points.iter().zip(keep).filter_map(|(p, k)| k.then_some(*p)).collect()
}

/// Simplifies a closed ring (last point = first). `None` when the ring is smaller than the tolerance
/// or comes out with fewer than four points (nothing worth drawing).
pub fn ring(points: &[Point], tolerance: f64) -> Option<Vec<Point>> {
    if points.len() < 4 {
        return None;
    }
    let start = points[0];
    // Split at the point farthest from the start, so neither half is a closed loop.
    let (far, distance2) = points.iter().enumerate().fold((0, 0.0), |best, (i, p)| {
        let d = (p[0] - start[0]).powi(2) + (p[1] - start[1]).powi(2);
        if d > best.1 { (i, d) } else { best }
    });
    if distance2.sqrt() <= tolerance {
        return None;
    }
    let mut out = line(&points[..=far], tolerance);
    out.pop();
    out.extend(line(&points[far..], tolerance));
    (out.len() >= 4).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_straight_line_keeps_its_ends_and_a_corner_is_kept() {
        let straight: Vec<Point> = (0..10).map(|i| [f64::from(i), 0.0]).collect();
        assert_eq!(line(&straight, 0.1), vec![[0.0, 0.0], [9.0, 0.0]]);
        let corner = [[0.0, 0.0], [5.0, 0.05], [10.0, 0.0], [10.0, 10.0]];
        assert_eq!(line(&corner, 0.1), vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]);
        assert_eq!(line(&corner, 0.01).len(), 4);
    }

    #[test]
    fn rings_stay_closed_and_tiny_ones_go() {
        let square = [
            [0.0, 0.0],
            [5.0, 0.0],
            [10.0, 0.0],
            [10.0, 10.0],
            [0.0, 10.0],
            [0.0, 0.0],
        ];
        let out = ring(&square, 0.5).unwrap();
        assert_eq!(
            out,
            vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.0, 0.0]]
        );
        let speck = [[0.0, 0.0], [0.1, 0.0], [0.1, 0.1], [0.0, 0.0]];
        assert_eq!(ring(&speck, 0.5), None);
    }

    /// No kept line strays from the original by more than the tolerance: every original point is within the
    /// tolerance of the simplified line.
    #[test]
    fn every_point_within_the_tolerance() {
        let wiggle: Vec<Point> = (0..500)
            .map(|i| {
                let x = f64::from(i) / 10.0;
                [x, (x * 1.7).sin() * 3.0 + (x * 5.3).cos()]
            })
            .collect();
        for tolerance in [0.1, 0.5, 2.0] {
            let kept = line(&wiggle, tolerance);
            assert!(kept.len() < wiggle.len());
            for p in &wiggle {
                let nearest = kept
                    .windows(2)
                    .map(|w| distance(*p, w[0], w[1]))
                    .fold(f64::INFINITY, f64::min);
                assert!(nearest <= tolerance + 1e-9, "{p:?} at {nearest} > {tolerance}");
            }
        }
    }
}
