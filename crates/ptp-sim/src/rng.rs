//! The simulator's one source of randomness: xoshiro256++ seeded through SplitMix64, with
//! named streams so that each clock, each node's timestamping and the network draw from their
//! own sequence. A run is a pure function of the scenario and its seed.

/// SplitMix64 step (Steele, Lea, Flood 2014): spreads a seed over the generator state.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of a stream label, so stream names rather than creation order pick the sequence.
fn fnv1a(label: &str) -> u64 {
    label.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// A small, fast, seedable generator (xoshiro256++, Blackman and Vigna).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let s = [splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm)];
        Rng { s }
    }

    /// The stream called `label`, number `index`, of the run seeded with `seed`.
    pub fn stream(seed: u64, label: &str, index: u64) -> Self {
        let mut sm = seed ^ fnv1a(label);
        let mixed = splitmix64(&mut sm) ^ index.wrapping_mul(0xd605_bbb5_8c8a_bd8d);
        Rng::new(mixed)
    }

    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = self.s;
        let result = s0.wrapping_add(s3).rotate_left(23).wrapping_add(s0);
        let t = s1 << 17;
        let mut s = [s0, s1, s2 ^ s0, s3 ^ s1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        self.s = s;
        result
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal (Box-Muller; one value per call, so the sequence does not depend on
    /// how calls interleave).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (core::f64::consts::TAU * u2).cos()
    }

    /// Exponential with the given mean (0 for a mean that is not positive).
    pub fn exponential(&mut self, mean: f64) -> f64 {
        if mean > 0.0 {
            -mean * (1.0 - self.uniform()).ln()
        } else {
            0.0
        }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.uniform() < p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_streams_differ() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_u64()
            })
            .collect();
        let mut r = Rng::new(7);
        assert!(a.iter().all(|x| *x == r.next_u64()));
        let mut x = Rng::stream(7, "clock", 0);
        let mut y = Rng::stream(7, "clock", 1);
        let mut z = Rng::stream(7, "net", 0);
        let (x, y, z) = (x.next_u64(), y.next_u64(), z.next_u64());
        assert!(x != y && y != z && x != z);
    }

    #[test]
    fn distributions_have_the_right_moments() {
        let mut r = Rng::new(1);
        let n = 200_000;
        let u: f64 = (0..n).map(|_| r.uniform()).sum::<f64>() / f64::from(n);
        assert!((u - 0.5).abs() < 0.01, "{u}");
        let v: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = v.iter().sum::<f64>() / f64::from(n);
        let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / f64::from(n);
        assert!(mean.abs() < 0.01 && (var - 1.0).abs() < 0.02, "{mean} {var}");
        let e = (0..n).map(|_| r.exponential(3.0)).sum::<f64>() / f64::from(n);
        assert!((e - 3.0).abs() < 0.05, "{e}");
        assert!((0..1000).all(|_| r.exponential(1.0) >= 0.0));
        assert_eq!(r.exponential(0.0), 0.0);
        assert!(!r.chance(0.0));
    }
}
