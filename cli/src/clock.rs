//! The one clock conversion the programs make: time elapsed since the program started,
//! as the library's [`wps::time::Instant`] (milliseconds).

use std::sync::mpsc;
use std::time::Duration;

use wps::time::Instant;

/// Milliseconds since the program started.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    start: std::time::Instant,
}

impl Clock {
    /// A clock whose zero is now.
    pub fn start() -> Clock {
        Clock {
            start: std::time::Instant::now(),
        }
    }

    /// Now, for the library.
    pub fn now(&self) -> Instant {
        Instant::from_millis(u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    /// How long until `deadline` (zero if it has passed).
    pub fn until(&self, deadline: Instant) -> Duration {
        deadline - self.now()
    }

    /// The next message on `inputs`, waiting at most until `deadline` (the driver's
    /// `poll_timeout`; without one, until a message comes or every sender is gone).
    pub fn recv_until<T>(
        &self,
        inputs: &mpsc::Receiver<T>,
        deadline: Option<Instant>,
    ) -> Result<T, mpsc::RecvTimeoutError> {
        match deadline {
            Some(deadline) => inputs.recv_timeout(self.until(deadline)),
            None => inputs
                .recv()
                .map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        }
    }
}
