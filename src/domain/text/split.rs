//! Splitting long text into thread parts.
