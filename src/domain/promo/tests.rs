use super::*;

fn report(text: &str) -> PromoReport {
    assess(text, &BrandProfile::default())
}

fn categories(r: &PromoReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.category.as_str()).collect()
}

#[test]
fn an_informative_post_scores_zero() {
    let r = report("We roast on Tuesdays. This week: a washed Ethiopian with notes of bergamot.");
    assert_eq!(r.score, 0);
    assert!(!r.promotional && r.findings.is_empty());
}

#[test]
fn a_hard_sell_scores_high_and_is_explained() {
    let r = report(
        "HUGE SALE!!! Buy now, limited time only: 50% off the best coffee ever. Don't miss out!",
    );
    assert!(r.score >= 80, "{r:?}");
    assert!(r.promotional);
    let found = categories(&r);
    for c in [
        "shouting",
        "discount",
        "exclamations",
        "call_to_buy",
        "urgency",
        "superlative",
    ] {
        assert!(found.contains(&c), "{c} missing from {found:?}");
    }
    let buy = r
        .findings
        .iter()
        .find(|f| f.category == "call_to_buy")
        .unwrap();
    assert_eq!(
        &"HUGE SALE!!! Buy now, limited"[buy.start..buy.end],
        "Buy now"
    );
    assert!(!buy.alternative.is_empty());
}

#[test]
fn only_whole_words_match() {
    assert_eq!(
        report("The salesperson dealt with it.").score,
        0,
        "sale inside salesperson, deal inside dealt"
    );
    assert!(categories(&report("Summer sale.")).contains(&"discount"));
}

#[test]
fn a_lone_acronym_is_not_shouting() {
    assert!(
        report("Our NASA-grade HTML guide")
            .findings
            .iter()
            .all(|f| f.category != "shouting")
    );
    assert!(categories(&report("THIS IS HUGE")).contains(&"shouting"));
}

#[test]
fn one_exclamation_mark_is_fine() {
    assert_eq!(report("Good morning!").score, 0);
    assert_eq!(
        report("Good morning! Fresh bread! Come in!").findings.len(),
        1
    );
}

#[test]
fn brand_words_and_hashtags_are_checked() {
    let brand = BrandProfile {
        words_to_avoid: "cheap, synergy".into(),
        hashtags: "#acme #roast".into(),
        ..Default::default()
    };
    let r = assess("Cheap thrills and synergy.", &brand);
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.category == "avoid_word")
            .count(),
        2
    );
    assert_eq!(r.missing_hashtags, ["#acme", "#roast"]);
    assert!(
        assess("Morning brew #Acme", &brand)
            .missing_hashtags
            .is_empty()
    );
}

#[test]
fn unicode_and_odd_input_never_panic() {
    for text in [
        "",
        "!",
        "!!!!!!!!",
        "👩🏽‍💻 SALE 🇫🇷",
        "مرحبا SALE NOW",
        "e\u{301}\u{301} BUY NOW",
        "İSTANBUL İSTANBUL",
    ] {
        let r = report(text);
        for f in &r.findings {
            assert_eq!(&text[f.start..f.end], f.text);
        }
    }
}
