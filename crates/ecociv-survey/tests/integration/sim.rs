//! A simulated survey: a finite population per stratum with a known number of satisfied and of
//! participating residents, sampled without replacement within each stratum, answered through the default
//! questionnaire.

use ecociv_survey::{Answers, Response, SamplingPlan, Stratum, StratumKind};

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator, enough for simulation.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x853c_49e6_748f_ea9b)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        // Rejection sampling: no modulo bias.
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// One stratum of the simulated population: size, satisfied and participating residents, sample size.
pub struct SimStratum {
    pub id: &'static str,
    pub name: &'static str,
    pub kind: StratumKind,
    pub population: u64,
    pub satisfied: u64,
    pub participating: u64,
    pub sample: u64,
}

/// A zone shaped like the seed's district (streets, communities, villages of very different sizes),
/// shares near the 80–95 % the rows deal in, small samples in the small strata.
pub fn population() -> Vec<SimStratum> {
    let s = |id, name, kind, population, satisfied_share: f64, participating_share: f64, sample| SimStratum {
        id,
        name,
        kind,
        population,
        satisfied: (population as f64 * satisfied_share).round() as u64,
        participating: (population as f64 * participating_share).round() as u64,
        sample,
    };
    vec![
        s("cz", "城中街道", StratumKind::Street, 21_000, 0.93, 0.90, 70),
        s("gq", "公园街道", StratumKind::Street, 16_500, 0.88, 0.94, 55),
        s("tz", "潭中街道", StratumKind::Street, 30_200, 0.95, 0.85, 90),
        s("hd", "河东街道", StratumKind::Street, 12_800, 0.84, 0.96, 45),
        s("jt-sq", "静兰社区", StratumKind::Community, 3_100, 0.97, 0.99, 25),
        s("ht-c", "环江村", StratumKind::Village, 1_450, 0.79, 0.82, 20),
        s("ym-c", "窑埠村", StratumKind::Village, 620, 0.90, 0.75, 15),
    ]
}

pub fn plan(strata: &[SimStratum]) -> SamplingPlan {
    SamplingPlan {
        population_basis: "模拟总体（测试）".into(),
        strata: strata
            .iter()
            .map(|s| Stratum {
                id: s.id.into(),
                name: s.name.into(),
                kind: s.kind,
                population: s.population,
                quota: Some(s.sample),
            })
            .collect(),
    }
}

/// The population shares (satisfied, participating) — what the survey should recover.
pub fn truth(strata: &[SimStratum]) -> (f64, f64) {
    let n: u64 = strata.iter().map(|s| s.population).sum();
    let sat: u64 = strata.iter().map(|s| s.satisfied).sum();
    let part: u64 = strata.iter().map(|s| s.participating).sum();
    (sat as f64 / n as f64, part as f64 / n as f64)
}

fn answers(rng: &mut Rng, satisfied: bool, participating: bool) -> Answers {
    let mut answers = Answers::new();
    let one = |code: &str| std::iter::once(code.to_string()).collect();
    answers.insert("aware".into(), one(rng.pick(&["1", "2", "3"])));
    let sat = if satisfied {
        rng.pick(&["1", "2"])
    } else {
        rng.pick(&["3", "4", "5"])
    };
    answers.insert("sat_overall".into(), one(sat));
    if (sat == "4" || sat == "5") && rng.below(2) == 0 {
        answers.insert(
            "dissat_reason".into(),
            ["air", "noise"].iter().map(|c| c.to_string()).collect(),
        );
    }
    let part = if participating {
        let activities = ["sort", "travel", "save", "plant", "volunteer", "report", "hearing"];
        let k = 1 + rng.below(3) as usize;
        (0..k).map(|_| rng.pick(&activities).to_string()).collect()
    } else {
        one("none")
    };
    answers.insert("participate".into(), part);
    answers
}

/// One simulated survey: each stratum sampled without replacement (the satisfied and the participating
/// drawn independently of each other, each with its exact finite-population count).
pub fn survey(strata: &[SimStratum], seed: u64) -> Vec<Response> {
    let mut rng = Rng::new(seed);
    let mut responses = Vec::new();
    for s in strata {
        let (mut sat_left, mut left) = (s.satisfied, s.population);
        let mut part_pool = (s.participating, s.population);
        for _ in 0..s.sample {
            let satisfied = rng.below(left) < sat_left;
            if satisfied {
                sat_left -= 1;
            }
            left -= 1;
            // Participation is drawn from its own urn: the same sampled person, a second attribute.
            let participating = rng.below(part_pool.1) < part_pool.0;
            if participating {
                part_pool.0 -= 1;
            }
            part_pool.1 -= 1;
            responses.push(Response {
                stratum: s.id.into(),
                answers: answers(&mut rng, satisfied, participating),
            });
        }
    }
    responses
}
