//! `cargo bench --bench text`: text validation throughput on one core, on a mixed
//! 280-character post (links, hashtags, mentions, emoji, accents). Prints the figures.

#![forbid(unsafe_code)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use herald::domain::text::{CheckOptions, Network, check};

const TEXT: &str = "Fresh roast today at Acme Café ☕ Our new Huila beans are here: notes of panela and red \
    apple. Read how we picked them https://acme.example/blog/huila-2026?ref=social and tell us what \
    you think @baristajo @coffee.example #coffee #Huila $ACME 👩🏽‍🍳🇨🇴 Open until 6pm, see you soon!";

/// Runs `f` for about two seconds and returns calls per second.
fn rate(mut f: impl FnMut()) -> f64 {
    for _ in 0..1_000 {
        f();
    }
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < Duration::from_secs(2) {
        for _ in 0..1_000 {
            f();
        }
        calls += 1_000;
    }
    calls as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let options = CheckOptions::default();
    println!(
        "text: {} characters, {} bytes",
        TEXT.chars().count(),
        TEXT.len()
    );
    let weighted = rate(|| {
        black_box(herald::domain::text::x::parse_tweet(black_box(TEXT)));
    });
    println!("X weighted length (twitter-text v3): {weighted:.0} checks/s on one core");
    for network in Network::ALL {
        let per_second = rate(|| {
            black_box(check(network, black_box(TEXT), &options));
        });
        println!(
            "{:>9}: {:>9.0} checks/s on one core",
            network.as_str(),
            per_second
        );
    }
    let all = rate(|| {
        for network in Network::ALL {
            black_box(check(network, black_box(TEXT), &options));
        }
    });
    println!("all 7 networks at once: {all:.0} post validations/s on one core");
}
