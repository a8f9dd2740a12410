//! Deterministic generator of water-quality samples for the `ecociv water classify` benchmark.
//! Usage: gen N > samples.csv. Same N → same bytes (xorshift64*, fixed seed). Compiled by run.sh with rustc (edition 2021).

use std::io::{BufWriter, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [lo, hi).
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.uniform(0.0, 1.0) < p
    }
}

fn main() -> std::io::Result<()> {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let out = std::io::stdout();
    let mut w = BufWriter::with_capacity(1 << 20, out.lock());
    writeln!(w, "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc")?;
    // (lo, hi, decimals) per item after section,date,waterbody; metals etc. present in a quarter of samples.
    let basic: [(f64, f64, usize); 8] = [
        (5.8, 9.2, 2),     // ph
        (0.5, 10.0, 2),    // do
        (1.0, 18.0, 1),    // codmn
        (8.0, 50.0, 1),    // cod
        (1.0, 12.0, 1),    // bod5
        (0.02, 2.5, 3),    // nh3n
        (0.005, 0.5, 3),   // tp
        (0.1, 3.0, 2),     // tn
    ];
    let extra: [(f64, f64, usize); 14] = [
        (0.001, 1.2, 3),     // cu
        (0.01, 2.2, 2),      // zn
        (0.1, 1.7, 2),       // f
        (0.001, 0.025, 4),   // se
        (0.001, 0.12, 3),    // as
        (0.00001, 0.0012, 5), // hg
        (0.0001, 0.012, 4),  // cd
        (0.002, 0.12, 3),    // cr6
        (0.001, 0.12, 3),    // pb
        (0.001, 0.25, 3),    // cn
        (0.0005, 0.12, 4),   // phenol
        (0.01, 1.2, 2),      // oil
        (0.01, 0.35, 2),     // las
        (0.01, 1.2, 2),      // s
    ];
    for i in 0..n {
        let s = i % 2000;
        let year = 2015 + (i / 2000) % 10;
        let month = 1 + (i / 20_000) % 12;
        let day = 1 + (i % 28);
        let wb = if s % 5 == 0 { "lake" } else { "river" };
        write!(w, "S{s:05},{year}-{month:02}-{day:02},{wb}")?;
        // A sample-wide pollution level q (skewed towards clean water) sets every item near the same
        // part of its range, so that all six classes occur; 3 % of items spike anywhere in the range.
        let q = rng.uniform(0.0, 1.0).powi(2);
        let value = |rng: &mut Rng, lo: f64, hi: f64| {
            let x = if rng.chance(0.03) { rng.uniform(0.0, 1.0) } else { (q + rng.uniform(-0.08, 0.08)).clamp(0.0, 1.0) };
            lo + (hi - lo) * x
        };
        for (k, (lo, hi, d)) in basic.into_iter().enumerate() {
            if rng.chance(0.01) {
                w.write_all(b",")?;
                continue;
            }
            let v = match k {
                0 => rng.uniform(5.9, 9.1),          // pH: independent of q
                1 => hi - (value(&mut rng, lo, hi) - lo), // DO: higher is better
                _ => value(&mut rng, lo, hi),
            };
            write!(w, ",{:.*}", d, v)?;
        }
        let full = rng.chance(0.25);
        for (lo, hi, d) in extra {
            if full {
                write!(w, ",{:.*}", d, value(&mut rng, lo, hi * 0.6))?;
            } else {
                w.write_all(b",")?;
            }
        }
        if rng.chance(0.5) {
            writeln!(w, ",{}", rng.uniform(10.0, 50_000.0) as u64)?;
        } else {
            w.write_all(b",\n")?;
        }
    }
    w.flush()
}
