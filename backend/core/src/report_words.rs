//! Numbers as a bureau's report writes them in Chinese prose: 约1030处, 1000余件, 52万元,
//! 4.26万元, 约328平方米, 55.4%, 同比增长12.5% — never more precise than the sentence needs,
//! and never a comparison where there is nothing to compare with.

/// A whole count as it is (件, 次, 家).
pub fn count(n: u64) -> String {
    n.to_string()
}

/// A quantity, whole numbers without decimals, others to one decimal place.
pub fn quantity(q: f64) -> String {
    if !q.is_finite() {
        return "0".to_owned();
    }
    if (q - q.round()).abs() < 1e-9 {
        format!("{q:.0}")
    } else {
        trim_zeros(format!("{q:.1}"))
    }
}

/// 约N: to the ten above a thousand, whole below.
pub fn approx(q: f64) -> String {
    if !q.is_finite() || q <= 0.0 {
        return "0".to_owned();
    }
    let n = if q >= 1000.0 {
        (q / 10.0).round() * 10.0
    } else {
        q.round()
    };
    format!("约{n:.0}")
}

/// N余: the two leading digits and 余 (1234 → 1200余, 57 → 50余); below ten, the number.
pub fn over(q: f64) -> String {
    if !q.is_finite() || q < 10.0 {
        return quantity(q.max(0.0));
    }
    let digits = q.log10().floor() as i32;
    let step = 10f64.powi((digits - 1).max(1));
    let floor = (q / step).floor() * step;
    if (floor - q).abs() < 1e-9 {
        format!("{floor:.0}")
    } else {
        format!("{floor:.0}余")
    }
}

/// 元 as a report writes money: 万元 from ten thousand on, to two decimals without trailing
/// zeros (52万元, 4.26万元, 6.9万元), else 元.
pub fn money(yuan: f64) -> String {
    if !yuan.is_finite() {
        return "0元".to_owned();
    }
    if yuan.abs() >= 10_000.0 {
        format!("{}万元", trim_zeros(format!("{:.2}", yuan / 10_000.0)))
    } else {
        format!("{}元", quantity(yuan))
    }
}

/// A share of 0–1 as 55.4%.
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{:.1}%", share * 100.0)
    } else {
        "—".to_owned()
    }
}

/// The comparison of `now` with `before` in words after `word` (同比, 环比): 增长12.5%,
/// 下降3.2%, 持平; empty when there is nothing to compare with (no figure before, or none).
pub fn change(now: f64, before: Option<f64>, word: &str) -> String {
    let Some(before) = before.filter(|b| b.is_finite() && *b > 0.0) else {
        return String::new();
    };
    if !now.is_finite() {
        return String::new();
    }
    let rate = (now - before) / before * 100.0;
    if rate.abs() < 0.05 {
        format!("{word}持平")
    } else if rate > 0.0 {
        format!("{word}增长{rate:.1}%")
    } else {
        format!("{word}下降{:.1}%", -rate)
    }
}

/// The quarter as prose names it: 三季度.
pub fn quarter_name(number: u32) -> &'static str {
    match number {
        1 => "一季度",
        2 => "二季度",
        3 => "三季度",
        _ => "四季度",
    }
}

fn trim_zeros(mut s: String) -> String {
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_report_writes_them() {
        assert_eq!(approx(1034.0), "约1030");
        assert_eq!(approx(328.4), "约328");
        assert_eq!(over(1234.0), "1200余");
        assert_eq!(over(57.0), "50余");
        assert_eq!(over(1000.0), "1000");
        assert_eq!(over(7.0), "7");
        assert_eq!(money(520_000.0), "52万元");
        assert_eq!(money(42_600.0), "4.26万元");
        assert_eq!(money(69_000.0), "6.9万元");
        assert_eq!(money(800.0), "800元");
        assert_eq!(quantity(4.0), "4");
        assert_eq!(quantity(473.26), "473.3");
        assert_eq!(percent(0.554), "55.4%");
        assert_eq!(quarter_name(3), "三季度");
    }

    #[test]
    fn a_comparison_is_said_only_where_there_is_one() {
        assert_eq!(change(2708.0, Some(2407.0), "同比"), "同比增长12.5%");
        assert_eq!(change(90.0, Some(100.0), "环比"), "环比下降10.0%");
        assert_eq!(change(100.0, Some(100.0), "环比"), "环比持平");
        assert_eq!(change(100.0, None, "同比"), "");
        assert_eq!(change(100.0, Some(0.0), "同比"), "");
    }
}
