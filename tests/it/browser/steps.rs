//! What a person does in the browser, as helpers that wait for the page to react.

use std::time::{Duration, Instant};

use fantoccini::elements::Element;

use super::harness::{Browser, TestResult, css, screenshot_dir};

const WAIT: Duration = Duration::from_secs(15);

impl Browser {
    pub async fn fill(&self, selector: &str, value: &str) -> TestResult {
        let field = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(css(selector))
            .await?;
        field.clear().await?;
        field.send_keys(value).await?;
        Ok(())
    }

    pub async fn click(&self, selector: &str) -> TestResult {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(css(selector))
            .await?
            .click()
            .await?;
        Ok(())
    }

    pub async fn find(&self, selector: &str) -> Result<Element, Box<dyn std::error::Error>> {
        Ok(self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(css(selector))
            .await?)
    }

    pub async fn value(&self, selector: &str) -> Result<String, Box<dyn std::error::Error>> {
        Ok(self
            .find(selector)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    pub async fn body_text(&self) -> Result<String, Box<dyn std::error::Error>> {
        Ok(self.client.find(css("body")).await?.text().await?)
    }

    /// Waits until the page's text contains `needle`; fails with the text it saw.
    pub async fn wait_text(&self, needle: &str) -> TestResult {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.body_text().await.unwrap_or_default();
            if text.contains(needle) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("waited for {needle:?}; the page says:\n{text}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the address bar's path is `path`; returns it.
    pub async fn wait_path(
        &self,
        want: impl Fn(&str) -> bool,
    ) -> Result<String, Box<dyn std::error::Error>> {
        let deadline = Instant::now() + WAIT;
        loop {
            let path = self.client.current_url().await?.path().to_owned();
            if want(&path) {
                return Ok(path);
            }
            if Instant::now() > deadline {
                let text = self.body_text().await.unwrap_or_default();
                return Err(format!("still at {path}; the page says:\n{text}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_at(&self, path: &str) -> TestResult {
        self.wait_path(|p| p == path).await.map(|_| ())
    }

    pub async fn login(&self, email: &str, password: &str) -> TestResult {
        self.goto("/login").await?;
        self.fill("#email", email).await?;
        self.fill("#password", password).await?;
        self.click("form[action='/login'] button[type=submit]")
            .await?;
        self.wait_path(|p| p != "/login").await?;
        Ok(())
    }

    pub async fn logout(&self) -> TestResult {
        self.click(".account-menu summary").await?;
        self.click("form[action='/logout'] button").await?;
        self.wait_at("/login").await
    }

    pub async fn scroll_width(&self) -> Result<i64, Box<dyn std::error::Error>> {
        let width = self
            .client
            .execute("return document.documentElement.scrollWidth;", vec![])
            .await?;
        Ok(width.as_i64().ok_or("scrollWidth is not a number")?)
    }

    /// Saves the viewport as `target-screenshots/{name}.png`.
    pub async fn screenshot(&self, name: &str) -> TestResult {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join(format!("{name}.png")),
            self.client.screenshot().await?,
        )?;
        Ok(())
    }
}
