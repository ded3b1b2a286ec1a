//! Who must approve a post, who may, and when an edit sends an approved post back to review
//! (PRODUCT.md, step 7). Pure rules; the services apply them.

use super::Role;

/// A workspace's approval policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Whether every post needs approval (contributors' posts always do).
    pub required: bool,
    /// 1, or 2 (first someone of the team, then the client).
    pub steps: i64,
    /// Approvers may fix typos in an approved post without sending it back to review.
    pub allow_small_fixes: bool,
}

/// Who approves: someone of the team (owner, manager), or the client (the client role, or
/// anyone holding the post's client review link).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approver {
    Team,
    Client,
}

impl Approver {
    pub fn of(role: Role) -> Option<Approver> {
        match role {
            Role::Owner | Role::Manager => Some(Approver::Team),
            Role::Client => Some(Approver::Client),
            _ => None,
        }
    }
}

impl Policy {
    /// How many approvals a post by someone with `author` role needs (0: none).
    pub fn steps_for(&self, author: Role) -> i64 {
        let steps = self.steps.clamp(1, 2);
        if self.required {
            steps
        } else if author == Role::Contributor {
            // Contributors' posts always go through review, at least one step.
            1
        } else {
            0
        }
    }

    /// Whether `approver` may give approval number `done + 1` of `steps`; the reason when
    /// not. With two steps the team approves first, then the client.
    pub fn may_approve(
        &self,
        steps: i64,
        done: i64,
        approver: Approver,
    ) -> Result<(), &'static str> {
        if done >= steps {
            return Err("this post is already approved");
        }
        match (steps, done, approver) {
            (2, 0, Approver::Client) => {
                Err("the team approves first; the client's approval comes second")
            }
            (2, 1, Approver::Team) => Err("this post now waits for the client's approval"),
            _ => Ok(()),
        }
    }
}

/// Whether changing `before` into `after` is a small fix (a typo, a missing comma): at most
/// 10 characters, or 5% of the text when longer.
pub fn is_small_fix(before: &str, after: &str) -> bool {
    let longest = before.chars().count().max(after.chars().count());
    let allowed = (longest / 20).max(10);
    // Texts much longer than the allowance apart cannot be within it; skip the O(n*m) work.
    if before.chars().count().abs_diff(after.chars().count()) > allowed {
        return false;
    }
    strsim::levenshtein(before, after) <= allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: Policy = Policy {
        required: true,
        steps: 2,
        allow_small_fixes: false,
    };

    #[test]
    fn contributors_always_need_review() {
        let none = Policy {
            required: false,
            steps: 2,
            allow_small_fixes: false,
        };
        assert_eq!(none.steps_for(Role::Editor), 0);
        assert_eq!(none.steps_for(Role::Contributor), 1);
        assert_eq!(TWO.steps_for(Role::Editor), 2);
        assert_eq!(TWO.steps_for(Role::Contributor), 2);
    }

    #[test]
    fn with_two_steps_the_team_approves_then_the_client() {
        assert!(TWO.may_approve(2, 0, Approver::Client).is_err());
        assert!(TWO.may_approve(2, 0, Approver::Team).is_ok());
        assert!(TWO.may_approve(2, 1, Approver::Team).is_err());
        assert!(TWO.may_approve(2, 1, Approver::Client).is_ok());
        assert!(TWO.may_approve(2, 2, Approver::Client).is_err());
        assert!(TWO.may_approve(1, 0, Approver::Client).is_ok());
        assert_eq!(Approver::of(Role::Editor), None);
    }

    #[test]
    fn small_fixes_are_small() {
        assert!(is_small_fix("Fresh roast todya.", "Fresh roast today."));
        assert!(!is_small_fix(
            "Fresh roast today.",
            "Buy now: 50% off every bag!"
        ));
        let long = "word ".repeat(100);
        assert!(is_small_fix(&long, &format!("{long}and a few more")));
    }
}
