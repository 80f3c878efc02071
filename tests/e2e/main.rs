//! End-to-end tests: the real citygrid binary over HTTP.
