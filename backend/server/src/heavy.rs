//! Heavy work — statistics, the quarterly report, exports — apart from the request threads, so
//! that no request can stall the others. Each kind of work has a lane: a few jobs run at once
//! (on tokio's blocking threads, or holding the lane while they stream), a few more wait, and
//! beyond that a request is answered 503 with `Retry-After`. Each job has a time budget; work
//! that runs over it stops at its next check ([`Budget::check`]) and frees what it held. A job
//! whose request is gone (the client left, the request timed out) stops the same way.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The kinds of heavy work, each with its own lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Counts, hot spots, emerging hot spots, recurring places, heat, evaluation.
    Analytics,
    /// The quarterly report.
    Report,
    /// Case exports (CSV).
    Export,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Analytics, Kind::Report, Kind::Export];

    fn index(self) -> usize {
        match self {
            Kind::Analytics => 0,
            Kind::Report => 1,
            Kind::Export => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Analytics => "analytics",
            Kind::Report => "report",
            Kind::Export => "export",
        }
    }
}

/// How much of a kind of work the server takes at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneLimits {
    /// Jobs running at once.
    pub running: usize,
    /// Jobs waiting for a turn; one more is refused.
    pub waiting: usize,
    /// The longest a job may run.
    pub budget: Duration,
}

impl LaneLimits {
    /// The defaults of a kind: on a two-core server, two statistics at once and one report.
    pub fn of(kind: Kind) -> Self {
        match kind {
            Kind::Analytics => Self {
                running: 2,
                waiting: 8,
                budget: Duration::from_secs(30),
            },
            Kind::Report => Self {
                running: 1,
                waiting: 4,
                budget: Duration::from_secs(45),
            },
            Kind::Export => Self {
                running: 2,
                waiting: 4,
                budget: Duration::from_secs(55),
            },
        }
    }
}

/// Seconds a client refused for a full lane is asked to wait.
pub const RETRY_AFTER_SECONDS: u64 = 5;

/// Why heavy work was not done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeavyError {
    #[error("the server is busy with other {kind} requests; try again in {retry_after} seconds")]
    Busy {
        kind: &'static str,
        retry_after: u64,
    },
    #[error(
        "the {kind} work took longer than its budget of {seconds} seconds and was stopped; ask for less (a shorter period, fewer places, larger cells)"
    )]
    OverBudget { kind: &'static str, seconds: u64 },
    #[error("the {kind} work failed: {detail}")]
    Failed { kind: &'static str, detail: String },
}

/// Work stopped because its time ran out or its request is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("stopped: over its time budget")]
pub struct Stopped;

/// A job's time budget, checked by the work itself between steps.
#[derive(Debug, Clone)]
pub struct Budget {
    deadline: Option<Instant>,
    cancelled: Arc<AtomicBool>,
}

impl Budget {
    /// No limit (command-line tools, tests).
    pub fn unlimited() -> Self {
        Self {
            deadline: None,
            cancelled: Arc::default(),
        }
    }

    fn until(deadline: Instant) -> Self {
        Self {
            deadline: Some(deadline),
            cancelled: Arc::default(),
        }
    }

    /// `Err` once the time is up or the request is gone: the work should stop now.
    pub fn check(&self) -> Result<(), Stopped> {
        let late = self.deadline.is_some_and(|d| Instant::now() >= d);
        if late || self.cancelled.load(Ordering::Relaxed) {
            Err(Stopped)
        } else {
            Ok(())
        }
    }
}

/// Cancels a job's budget when the request waiting for it is dropped.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[derive(Debug)]
struct Lane {
    kind: Kind,
    limits: LaneLimits,
    running: Arc<Semaphore>,
    /// Jobs admitted and not yet finished (running or waiting).
    admitted: Arc<AtomicUsize>,
}

/// A job's place in its lane: held while it runs.
#[derive(Debug)]
pub struct Turn {
    _running: OwnedSemaphorePermit,
    admitted: Arc<AtomicUsize>,
    budget: Budget,
}

impl Turn {
    pub fn budget(&self) -> &Budget {
        &self.budget
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Gives back an admission that never got its turn (the request left while waiting).
struct Admission(Option<Arc<AtomicUsize>>);

impl Drop for Admission {
    fn drop(&mut self) {
        if let Some(admitted) = self.0.take() {
            admitted.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// The lanes of a server. Cheap to clone.
#[derive(Debug, Clone)]
pub struct HeavyWork {
    lanes: Arc<[Lane; 3]>,
}

impl Default for HeavyWork {
    fn default() -> Self {
        Self::new(LaneLimits::of)
    }
}

impl HeavyWork {
    /// Lanes with these limits per kind.
    pub fn new(limits: impl Fn(Kind) -> LaneLimits) -> Self {
        let lanes = Kind::ALL.map(|kind| {
            let limits = limits(kind);
            Lane {
                kind,
                limits,
                running: Arc::new(Semaphore::new(limits.running.max(1))),
                admitted: Arc::default(),
            }
        });
        Self {
            lanes: Arc::new(lanes),
        }
    }

    fn lane(&self, kind: Kind) -> &Lane {
        &self.lanes[kind.index()]
    }

    /// Waits for a turn in the lane of `kind`; refused at once when the lane is full.
    pub async fn turn(&self, kind: Kind) -> Result<Turn, HeavyError> {
        let lane = self.lane(kind);
        let most = lane.limits.running.max(1) + lane.limits.waiting;
        let admitted = lane
            .admitted
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < most).then_some(n + 1)
            });
        if admitted.is_err() {
            return Err(HeavyError::Busy {
                kind: lane.kind.as_str(),
                retry_after: RETRY_AFTER_SECONDS,
            });
        }
        let mut admission = Admission(Some(lane.admitted.clone()));
        let permit =
            lane.running
                .clone()
                .acquire_owned()
                .await
                .map_err(|e| HeavyError::Failed {
                    kind: lane.kind.as_str(),
                    detail: e.to_string(),
                })?;
        let admitted = admission.0.take().unwrap_or_else(|| lane.admitted.clone());
        Ok(Turn {
            _running: permit,
            admitted,
            budget: Budget::until(Instant::now() + lane.limits.budget),
        })
    }

    /// Runs `work` on a blocking thread in the lane of `kind`, with its budget. The turn is
    /// held until the work returns, even when the request waiting for it has gone (the budget
    /// then tells the work to stop).
    pub async fn run<T, F>(&self, kind: Kind, work: F) -> Result<T, HeavyError>
    where
        T: Send + 'static,
        F: FnOnce(&Budget) -> T + Send + 'static,
    {
        let turn = self.turn(kind).await?;
        let _cancel = CancelOnDrop(turn.budget.cancelled.clone());
        tokio::task::spawn_blocking(move || {
            let out = work(&turn.budget);
            drop(turn);
            out
        })
        .await
        .map_err(|e| HeavyError::Failed {
            kind: kind.as_str(),
            detail: e.to_string(),
        })
    }

    /// Runs asynchronous work (reading the store page by page) in the lane of `kind`: it is
    /// dropped — stopped — when its budget runs out.
    pub async fn run_async<T>(
        &self,
        kind: Kind,
        work: impl std::future::Future<Output = T>,
    ) -> Result<T, HeavyError> {
        let _turn = self.turn(kind).await?;
        tokio::time::timeout(self.lane(kind).limits.budget, work)
            .await
            .map_err(|_| self.over_budget(kind))
    }

    /// The error for work of `kind` stopped by its budget.
    pub fn over_budget(&self, kind: Kind) -> HeavyError {
        HeavyError::OverBudget {
            kind: kind.as_str(),
            seconds: self.lane(kind).limits.budget.as_secs(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> HeavyWork {
        HeavyWork::new(|_| LaneLimits {
            running: 1,
            waiting: 1,
            budget: Duration::from_millis(50),
        })
    }

    #[tokio::test]
    async fn a_full_lane_refuses_and_other_lanes_go_on() {
        let heavy = small();
        let first = heavy.turn(Kind::Analytics).await.unwrap();
        let waiting = {
            let heavy = heavy.clone();
            tokio::spawn(async move { heavy.turn(Kind::Analytics).await.map(drop) })
        };
        tokio::task::yield_now().await;
        while heavy.lane(Kind::Analytics).admitted.load(Ordering::Acquire) < 2 {
            tokio::task::yield_now().await;
        }
        let refused = heavy.turn(Kind::Analytics).await.unwrap_err();
        assert!(matches!(refused, HeavyError::Busy { retry_after: 5, .. }));
        assert!(heavy.turn(Kind::Export).await.is_ok(), "another lane");
        drop(first);
        waiting.await.unwrap().unwrap();
        assert_eq!(
            heavy.lane(Kind::Analytics).admitted.load(Ordering::Acquire),
            0
        );
    }

    #[tokio::test]
    async fn work_over_its_budget_stops_at_its_next_check() {
        let heavy = small();
        let stopped = heavy
            .run(Kind::Report, |budget| -> Result<(), Stopped> {
                loop {
                    budget.check()?;
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
            .await;
        assert_eq!(stopped, Ok(Err(Stopped)));
        let done = heavy
            .run(Kind::Report, |budget| budget.check().map(|()| 7))
            .await;
        assert_eq!(done, Ok(Ok(7)));
    }
}
