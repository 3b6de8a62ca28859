//! ptp4l's summary statistics (stats.c, clock.c) with hand-computed values, and the exact
//! lines they print.

use ptp_engine::event::Event;
use ptp_engine::log::{format, Level, LogLine, PortNames};
use ptp_engine::state::ServoState;
use ptp_engine::stats::{OffsetSummary, Stats};

fn text(event: &Event) -> String {
    let lines = format(event, &PortNames::default());
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].level, Level::Info);
    lines[0].text.clone()
}

#[test]
fn stats_rms_max_mean_sd() {
    let mut s = Stats::new();
    for v in [1.0, -1.0, 3.0, -3.0] {
        s.add(v);
    }
    let r = s.result().unwrap();
    assert_eq!(s.count(), 4);
    assert_eq!(r.rms, 5f64.sqrt()); // (1 + 1 + 9 + 9) / 4 = 5
    assert_eq!(r.max_abs, 3.0);
    assert_eq!(r.mean, 0.0);

    let mut f = Stats::new();
    for v in [100.0, 102.0, 98.0, 104.0] {
        f.add(v);
    }
    let r = f.result().unwrap();
    assert_eq!(r.mean, 101.0);
    // deviations -1, 1, -3, 3: population variance 5
    assert!((r.stddev - 5f64.sqrt()).abs() < 1e-12);
    assert_eq!((r.min, r.max, r.max_abs), (98.0, 104.0, 104.0));
}

#[test]
fn stats_max_abs_of_negative_values() {
    let mut s = Stats::new();
    for v in [-7.0, -2.0, 5.0] {
        s.add(v);
    }
    assert_eq!(s.result().unwrap().max_abs, 7.0);
}

#[test]
fn per_sync_lines_when_summary_interval_not_longer() {
    // summary_interval 0 (default) and logSyncInterval 0: one line per sample.
    let mut s = OffsetSummary::new(0, 0);
    assert!(!s.summarising());
    let ev = s.sample(-12, ServoState::Locked, 1234.0, 560).unwrap();
    assert_eq!(
        ev,
        Event::MasterOffset { offset_ns: -12, state: ServoState::Locked, freq_ppb: 1234.0, path_delay_ns: 560 }
    );
    assert_eq!(text(&ev), "master offset        -12 s2 freq   +1234 path delay       560");
    // summary_interval below the sync interval: still per sample.
    let mut s = OffsetSummary::new(-2, 0);
    assert!(s.sample(5, ServoState::Unlocked, 0.0, 0).is_some());
}

#[test]
fn summary_every_power_of_two_samples() {
    // summary_interval 0 with logSyncInterval -2: 2^(0 - -2) = 4 samples per summary.
    let mut s = OffsetSummary::new(0, -2);
    assert_eq!(s.max_count(), 4);
    s.add_delay(1000);
    s.add_delay(1002);
    let offsets = [1, -1, 3, -3];
    let freqs = [100.0, 102.0, 98.0, 104.0];
    for i in 0..3 {
        assert_eq!(s.sample(offsets[i], ServoState::Locked, freqs[i], 1001), None);
        assert_eq!(s.pending(), i as u32 + 1);
    }
    let ev = s.sample(offsets[3], ServoState::Locked, freqs[3], 1001).unwrap();
    let Event::Summary { offset_rms, offset_max, freq_mean, freq_sd, delay } = ev else {
        panic!("{ev:?}");
    };
    assert_eq!(offset_rms, 5f64.sqrt());
    assert_eq!(offset_max, 3.0);
    assert_eq!(freq_mean, 101.0);
    assert!((freq_sd - 5f64.sqrt()).abs() < 1e-12);
    assert_eq!(delay, Some((1001.0, 1.0)));
    assert_eq!(text(&ev), "rms    2 max    3 freq   +101 +/-   2 delay  1001 +/-   1");
    assert_eq!(s.pending(), 0);

    // Everything was reset: the next summary has no delay part.
    for off in [10, -20, 30, -40] {
        if let Some(ev) = s.sample(off, ServoState::Locked, -50.0, 1001) {
            // rms = sqrt((100 + 400 + 900 + 1600) / 4) = sqrt(750) = 27.39; max 40
            assert_eq!(
                ev,
                Event::Summary {
                    offset_rms: 750f64.sqrt(),
                    offset_max: 40.0,
                    freq_mean: -50.0,
                    freq_sd: 0.0,
                    delay: None
                }
            );
            assert_eq!(text(&ev), "rms   27 max   40 freq    -50 +/-   0");
            assert_eq!(
                format(&ev, &PortNames::default()),
                vec![LogLine::new(Level::Info, "rms   27 max   40 freq    -50 +/-   0")]
            );
            return;
        }
    }
    panic!("no second summary");
}

#[test]
fn delay_collected_while_printing_per_sample_counts_in_the_first_summary() {
    // linuxptp keeps adding path delays while it prints per-sample lines, and clears them only
    // in a summary.
    let mut s = OffsetSummary::new(1, 1);
    s.add_delay(500);
    assert!(matches!(s.sample(0, ServoState::Locked, 0.0, 500), Some(Event::MasterOffset { .. })));
    s.set_sync_interval(0); // now 2 samples per summary
    s.add_delay(700);
    assert_eq!(s.sample(2, ServoState::Locked, 10.0, 600), None);
    let ev = s.sample(-2, ServoState::Locked, 20.0, 600).unwrap();
    assert_eq!(
        ev,
        Event::Summary { offset_rms: 2.0, offset_max: 2.0, freq_mean: 15.0, freq_sd: 5.0, delay: Some((600.0, 100.0)) }
    );
    assert_eq!(text(&ev), "rms    2 max    2 freq    +15 +/-   5 delay   600 +/- 100");
}

#[test]
fn changing_sync_interval_keeps_samples() {
    let mut s = OffsetSummary::new(3, 0); // 8 per summary
    for _ in 0..3 {
        assert_eq!(s.sample(1, ServoState::Locked, 1.0, 0), None);
    }
    assert!(!s.set_sync_interval(2)); // 2 per summary: the 4th sample completes it
    assert_eq!(s.max_count(), 2);
    let ev = s.sample(1, ServoState::Locked, 1.0, 0).unwrap();
    assert_eq!(text(&ev), "rms    1 max    1 freq     +1 +/-   0");
}

#[test]
fn too_long_summary_interval_is_clamped() {
    let mut s = OffsetSummary::new(100, 0);
    assert!(s.interval_too_long());
    assert_eq!(s.max_count(), 1 << 31);
    assert!(!s.set_sync_interval(70)); // 100 - 70 = 30: fits
    assert_eq!(s.max_count(), 1 << 30);
    assert!(s.set_sync_interval(-128)); // 228: clamped again
}

#[test]
fn free_running_counts_frequency_estimates() {
    // freq_est_interval 1, logSyncInterval -3: one estimate per 16 syncs; summary_interval 4:
    // 2^(4 + 3 - 4) = 8 estimates per summary.
    let mut s = OffsetSummary::new_free_running(4, 1, -3);
    assert_eq!(s.max_count(), 8);
    // summary_interval not beyond the estimate interval: a line per estimate.
    s = OffsetSummary::new_free_running(1, 1, -3);
    assert_eq!(s.max_count(), 1);
    assert!(matches!(s.sample(3, ServoState::Unlocked, -2.0, 40), Some(Event::MasterOffset { .. })));
}

#[test]
fn flush_summarises_what_is_collected() {
    let mut s = OffsetSummary::new(4, 0);
    assert_eq!(s.flush(), None);
    assert_eq!(s.sample(-6, ServoState::Locked, -3.0, 0), None);
    let ev = s.flush().unwrap();
    assert_eq!(text(&ev), "rms    6 max    6 freq     -3 +/-   0");
    assert_eq!(s.flush(), None);
}

#[test]
fn summary_rounding() {
    // %4.0f etc. round half to even on the exact binary value, as glibc does.
    let ev = Event::Summary {
        offset_rms: 2.5,
        offset_max: 3.5,
        freq_mean: -0.5,
        freq_sd: 0.5,
        delay: Some((12345.5, 999.5)),
    };
    assert_eq!(text(&ev), "rms    2 max    4 freq     -0 +/-   0 delay 12346 +/- 1000");
}
