//! Browser tests: Debian's chromium driven through chromedriver with fantoccini.
