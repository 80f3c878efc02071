//! The standard normal distribution, for p-values.

/// Two-sided p-value of a standard normal score: P(|Z| ≥ |z|).
pub fn two_sided_p(z: f64) -> f64 {
    if z.is_nan() {
        return 1.0;
    }
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert!((two_sided_p(1.959_963_984_540_054) - 0.05).abs() < 1e-12);
        assert!((two_sided_p(2.575_829_303_548_901) - 0.01).abs() < 1e-12);
        assert_eq!(two_sided_p(0.0), 1.0);
        assert_eq!(two_sided_p(f64::NAN), 1.0);
    }
}
