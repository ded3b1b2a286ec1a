//! Local times, posting slots and queues (filled in by the scheduling work).
