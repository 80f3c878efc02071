//! End-to-end tests live under e2e/.
