//! Timestamps as the UI shows them: relative age, and absolute UTC on hover.

/// A span as people say it: "45 s", "3 min 12 s", "2 h 5 min", "12 d 3 h".
pub fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        0..=59 => format!("{secs} s"),
        60..=3599 if secs % 60 == 0 => format!("{} min", secs / 60),
        60..=3599 => format!("{} min {} s", secs / 60, secs % 60),
        3600..=86_399 => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
        _ => format!("{} d {} h", secs / 86_400, secs % 86_400 / 3600),
    }
}

/// "2026-11-27 07:36 UTC" from seconds since the Unix epoch.
pub fn utc(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60
    )
}

/// "just now", "5 min ago", "3 h ago", "12 days ago".
pub fn age(ts: i64, now: i64) -> String {
    let d = (now - ts).max(0);
    match d {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", d / 60),
        3600..=86_399 => format!("{} h ago", d / 3600),
        _ => match d / 86_400 {
            1 => "1 day ago".into(),
            n => format!("{n} days ago"),
        },
    }
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// "2026-11-27T07:36:12Z" (RFC 3339): the absolute time exports carry.
pub fn rfc3339(ts: i64) -> String {
    let (y, m, d) = civil_from_days(ts.div_euclid(86_400));
    let secs = ts.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The first second (UTC) of a "YYYY-MM-DD" day, as date inputs submit it.
pub fn parse_date(s: &str) -> Result<i64, String> {
    let bad = || format!("use a date like 2026-11-27 (got {s:?})");
    let parts: Vec<&str> = s.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return Err(bad());
    }
    let (y, m, d): (i64, u32, u32) = match (y.parse(), m.parse(), d.parse()) {
        (Ok(y), Ok(m), Ok(d)) => (y, m, d),
        _ => return Err(bad()),
    };
    let days = days_from_civil(y, m, d);
    // A day that does not exist (2026-02-30) comes back as another date.
    if m == 0 || civil_from_days(days) != (y, m, d) {
        return Err(bad());
    }
    Ok(days * 86_400)
}

/// Days since 1970-01-01 of a calendar date (the inverse of `civil_from_days`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(192), "3 min 12 s");
        assert_eq!(duration(600), "10 min");
        assert_eq!(duration(7500), "2 h 5 min");
        assert_eq!(duration(12 * 86_400 + 3 * 3600 + 59), "12 d 3 h");
    }

    #[test]
    fn dates_parse_to_the_first_second_of_their_utc_day() {
        assert_eq!(parse_date("1970-01-01"), Ok(0));
        assert_eq!(parse_date("2000-02-29"), Ok(951_782_400));
        assert_eq!(parse_date(" 2026-11-27 "), Ok(1_795_737_600));
    }

    #[test]
    fn malformed_or_impossible_dates_are_refused() {
        for bad in [
            "",
            "2026-11",
            "2026-1-27",
            "27.11.2026",
            "2026-13-01",
            "2026-02-30",
            "2026-00-10",
            "２０２６-11-27",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rfc3339_keeps_the_seconds() {
        assert_eq!(rfc3339(1_795_764_972), "2026-11-27T07:36:12Z");
    }

    #[test]
    fn utc_formats_known_instants() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_795_764_960), "2026-11-27 07:36 UTC");
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age(100, 100), "just now");
        assert_eq!(age(0, 300), "5 min ago");
        assert_eq!(age(0, 2 * 86_400), "2 days ago");
    }
}
