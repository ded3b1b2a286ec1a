#![forbid(unsafe_code)]

// mimalloc: sqlx and hyper allocate per row and per request; under load glibc's malloc
// showed ~10% of CPU in profiles, mimalloc much less (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    herald::cli::run()
}
