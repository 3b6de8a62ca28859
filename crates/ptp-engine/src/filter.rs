//! Delay filters (linuxptp `filter.h`, `mave.c`, `mmedian.c`): smooth the measured path delay
//! over the last `delay_filter_length` samples.
//!
//! Both filters answer from the samples seen so far while the window fills, and compute in
//! integer nanoseconds with C's division (truncating towards zero), as linuxptp does:
//! - moving average: the sum of the window divided by the number of samples in it;
//! - moving median: the middle sample of the sorted window, or for an even count the sum of
//!   the two middle samples divided by 2.
//!
//! Sums are kept in `i128`, so they cannot overflow (linuxptp's 64-bit sums would wrap only
//! for delays no network has).

use core::fmt;

use ptp_config::enums::DelayFilter;

/// A delay filter (linuxptp `struct filter`).
pub trait Filter: fmt::Debug + Send {
    /// Adds a sample (ns) and returns the filtered value (linuxptp `filter_sample()`).
    fn sample(&mut self, value: i64) -> i64;
    /// Forgets every sample (linuxptp `filter_reset()`).
    fn reset(&mut self);
}

/// Why a filter could not be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// The window must hold at least one sample.
    #[error("delay filter length {0} is not positive")]
    BadLength(i32),
}

/// Creates the filter `delay_filter` with a window of `length` samples (linuxptp
/// `filter_create()`).
pub fn create(kind: DelayFilter, length: i32) -> Result<Box<dyn Filter>, FilterError> {
    Ok(match kind {
        DelayFilter::MovingAverage => Box::new(MovingAverage::new(length)?),
        DelayFilter::MovingMedian => Box::new(MovingMedian::new(length)?),
    })
}

fn window_len(length: i32) -> Result<usize, FilterError> {
    usize::try_from(length).ok().filter(|&n| n > 0).ok_or(FilterError::BadLength(length))
}

/// C's `a / b` for a sum of at most `len` i64 values: fits i64 again.
fn div_to_i64(sum: i128, count: usize) -> i64 {
    let q = sum / i128::try_from(count.max(1)).unwrap_or(i128::MAX);
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

/// Moving average (linuxptp `mave.c`).
#[derive(Clone, Debug)]
pub struct MovingAverage {
    len: usize,
    /// Ring buffer of the window; grows to `len`, then `next` is the oldest.
    values: Vec<i64>,
    next: usize,
    sum: i128,
}

impl MovingAverage {
    /// A moving average over `length` samples.
    pub fn new(length: i32) -> Result<Self, FilterError> {
        Ok(MovingAverage { len: window_len(length)?, values: Vec::new(), next: 0, sum: 0 })
    }
}

impl Filter for MovingAverage {
    fn sample(&mut self, value: i64) -> i64 {
        if self.values.len() < self.len {
            self.values.push(value);
        } else if let Some(old) = self.values.get_mut(self.next) {
            self.sum -= i128::from(*old);
            *old = value;
        }
        self.next = (self.next + 1) % self.len;
        self.sum += i128::from(value);
        div_to_i64(self.sum, self.values.len())
    }

    fn reset(&mut self) {
        self.values.clear();
        self.next = 0;
        self.sum = 0;
    }
}

/// Moving median (linuxptp `mmedian.c`).
#[derive(Clone, Debug)]
pub struct MovingMedian {
    len: usize,
    /// Ring buffer of the window; grows to `len`, then `next` is the oldest.
    values: Vec<i64>,
    next: usize,
    /// The window's values in ascending order.
    sorted: Vec<i64>,
}

impl MovingMedian {
    /// A moving median over `length` samples.
    pub fn new(length: i32) -> Result<Self, FilterError> {
        Ok(MovingMedian { len: window_len(length)?, values: Vec::new(), next: 0, sorted: Vec::new() })
    }
}

impl Filter for MovingMedian {
    fn sample(&mut self, value: i64) -> i64 {
        if self.values.len() < self.len {
            self.values.push(value);
        } else if let Some(old) = self.values.get_mut(self.next) {
            if let Ok(pos) = self.sorted.binary_search(old) {
                self.sorted.remove(pos);
            }
            *old = value;
        }
        self.next = (self.next + 1) % self.len;
        let pos = self.sorted.partition_point(|&v| v <= value);
        self.sorted.insert(pos, value);

        let n = self.sorted.len();
        let upper = self.sorted.get(n / 2).copied().unwrap_or(value);
        if n % 2 == 1 {
            upper
        } else {
            let lower = self.sorted.get(n / 2 - 1).copied().unwrap_or(value);
            div_to_i64(i128::from(lower) + i128::from(upper), 2)
        }
    }

    fn reset(&mut self) {
        self.values.clear();
        self.sorted.clear();
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(f: &mut dyn Filter, input: &[i64]) -> Vec<i64> {
        input.iter().map(|&v| f.sample(v)).collect()
    }

    #[test]
    fn bad_lengths() {
        assert_eq!(create(DelayFilter::MovingMedian, 0).unwrap_err(), FilterError::BadLength(0));
        assert_eq!(create(DelayFilter::MovingAverage, -3).unwrap_err(), FilterError::BadLength(-3));
        assert!(create(DelayFilter::MovingAverage, 1).is_ok());
    }

    #[test]
    fn moving_average_hand_computed() {
        let mut f = MovingAverage::new(3).unwrap();
        // 10; (10+20)/2; (10+20+33)/3 = 21; (20+33+40)/3 = 31; (33+40-100)/3 = -27/3 = -9;
        // (40-100-1)/3 = -61/3 = -20 (towards zero).
        assert_eq!(run(&mut f, &[10, 20, 33, 40, -100, -1]), vec![10, 15, 21, 31, -9, -20]);
        f.reset();
        assert_eq!(run(&mut f, &[7, 8]), vec![7, 7]);
    }

    #[test]
    fn moving_average_length_one() {
        let mut f = MovingAverage::new(1).unwrap();
        assert_eq!(run(&mut f, &[5, -6, 7]), vec![5, -6, 7]);
    }

    #[test]
    fn moving_median_hand_computed() {
        let mut f = MovingMedian::new(4).unwrap();
        // [100] 100; [100,90] (90+100)/2 = 95; [90,100,300] 100; [90,100,101,300] 100 (201/2);
        // drop 100: [90,101,300,5] -> [5,90,101,300] (90+101)/2 = 95; drop 90:
        // [5,101,300,-7] -> [-7,5,101,300] 53; drop 300: [-7,5,101,-8] -> [-8,-7,5,101] -1
        // (-2/2); drop 101 add -8: [-8,-8,-7,5] -15/2 = -7 (towards zero).
        assert_eq!(run(&mut f, &[100, 90, 300, 101, 5, -7, -8, -8]), vec![100, 95, 100, 100, 95, 53, -1, -7]);
        f.reset();
        assert_eq!(run(&mut f, &[1, 2, 3]), vec![1, 1, 2]);
    }

    #[test]
    fn moving_median_with_duplicates() {
        let mut f = MovingMedian::new(3).unwrap();
        assert_eq!(run(&mut f, &[5, 5, 1, 5, 9, 9, 1]), vec![5, 5, 5, 5, 5, 9, 9]);
    }

    fn reference_median(window: &[i64]) -> i64 {
        let mut v = window.to_vec();
        v.sort_unstable();
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            ((i128::from(v[n / 2 - 1]) + i128::from(v[n / 2])) / 2) as i64
        }
    }

    proptest! {
        #[test]
        fn filters_match_naive_window(len in 1i32..12, input in proptest::collection::vec(any::<i64>(), 0..60)) {
            let mut med = MovingMedian::new(len).unwrap();
            let mut ave = MovingAverage::new(len).unwrap();
            for (i, &v) in input.iter().enumerate() {
                let start = (i + 1).saturating_sub(len as usize);
                let window = &input[start..=i];
                prop_assert_eq!(med.sample(v), reference_median(window));
                let sum: i128 = window.iter().map(|&x| i128::from(x)).sum();
                prop_assert_eq!(ave.sample(v), (sum / window.len() as i128) as i64);
            }
        }
    }
}
