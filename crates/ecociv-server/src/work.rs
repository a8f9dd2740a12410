//! CPU-heavy work off the request threads, with a bound on how much runs at once.
//!
//! The async runtime has as many worker threads as cores; one request that parses a 30 MB file on a
//! worker holds it for seconds, and two hold a two-core server (health checks and pages wait). So every
//! piece of work whose cost grows with its input — reading an uploaded values or monitoring file,
//! computing an assessment or the air/water figures from stored readings, writing a workbook or report —
//! runs through [`cpu`]: on Tokio's blocking pool, at most [`heavy_permits`] at a time (the others wait
//! their turn without holding a thread). Password hashing has its own bound ([`password`]), so logins do
//! not queue behind imports. A permit is held until the work itself ends, even when the client has gone
//! away, so the bound holds for the machine, not just for live requests.

use std::sync::{Arc, LazyLock};

use tokio::sync::Semaphore;

use crate::error::ApiError;

/// How many heavy tasks run at once: one less than the cores (at least one), so a core stays free for
/// the runtime's workers.
pub fn heavy_permits() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

static HEAVY: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(heavy_permits())));
static PASSWORD: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    Arc::new(Semaphore::new(
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
    ))
});

async fn run<T, F>(pool: &Arc<Semaphore>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let permit = pool.clone().acquire_owned().await.map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(ApiError::internal)
}

/// Runs input-sized CPU work on the blocking pool, at most [`heavy_permits`] at once.
pub async fn cpu<T, F>(work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    run(&HEAVY, work).await
}

/// Runs a password hash or check (Argon2id: ~20 MiB and tens of milliseconds each) on the blocking pool,
/// at most one per core at once.
pub async fn password<T, F>(work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    run(&PASSWORD, work).await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_than_the_permits_run_at_once() {
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                tokio::spawn(cpu(|| {
                    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                    MOST.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    RUNNING.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(MOST.load(Ordering::SeqCst), heavy_permits());
    }
}
