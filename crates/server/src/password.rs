//! Password hashing: Argon2id with OWASP's parameters (19 MiB, t=2, p=1) on a fixed set of
//! hashing threads. Each thread allocates its 19 MiB of argon2 memory once and reuses it for
//! every hash, so the server's memory is bounded by `threads × 19 MiB` however many people
//! sign in: argon2's own `hash_password` allocates a fresh 19 MiB per call, and glibc keeps
//! such freed buffers in the heap (a gigabyte after a few hundred sign-ins, never returned).
//! Past a bounded queue the server answers 503 `overloaded` at once rather than piling up
//! waiters; the async workers never hash.

use crate::error::{AppError, AppResult};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use lanyard_core::values::Password;
use secrecy::{ExposeSecret, SecretString};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Waiting hash requests allowed per hashing thread before new ones are turned away.
const QUEUE_PER_THREAD: usize = 32;

/// What one hash produces: argon2's default 32 bytes.
const OUTPUT_LEN: usize = Params::DEFAULT_OUTPUT_LEN;

/// The work a hashing thread does for one request, with the thread's own memory.
type Job = Box<dyn FnOnce(&mut Worker) + Send>;

pub struct Hasher {
    jobs: SyncSender<Job>,
}

/// Verified against when a login is unknown, so it costs what a known login costs: a hash
/// with the server's parameters of a password nobody was told (and even a match counts as
/// none). A constant, so starting the server hashes nothing.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$Tv7EOjr1dQaIDkXEkaW6Vg$X+6Iu2mJn7py6Ncl9mxnsI+nC0qPWBbpLMHBMUCS9Wc";

pub fn argon2id() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: OWASP's first recommended Argon2id configuration.
    let params = Params::new(19 * 1024, 2, 1, Some(OUTPUT_LEN)).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Lowers the calling hashing thread's priority below the threads that answer requests, so
/// that a burst of sign-ins takes only the CPU the rest leaves: reads and refreshes then do not
/// queue behind password work, while hashing alone still gets every idle core. Linux keeps a
/// nice value per thread (`PRIO_PROCESS` with no id is the calling thread); elsewhere the
/// threads keep the default priority.
fn yield_to_requests() {
    #[cfg(target_os = "linux")]
    if let Err(error) = rustix::process::setpriority_process(None, HASHING_NICE) {
        tracing::warn!(%error, "a hashing thread runs at the default priority");
    }
}

/// The hashing threads' nice value: 10 gives a thread about a tenth of the CPU time a
/// default-priority thread gets while both want it.
#[cfg(target_os = "linux")]
const HASHING_NICE: i32 = 10;

impl Hasher {
    /// Starts `threads` hashing threads (at least one); they end when the hasher is dropped.
    pub fn new(threads: usize) -> AppResult<Hasher> {
        let threads = threads.max(1);
        let (jobs, queue) = sync_channel::<Job>(threads * QUEUE_PER_THREAD);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("hash-{n}"))
                .spawn(move || {
                    yield_to_requests();
                    Worker::new().serve(&queue)
                })
                .map_err(|e| AppError::internal("starting a hashing thread", e))?;
        }
        Ok(Hasher { jobs })
    }

    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for a new password.
    pub async fn hash(&self, password: &Password) -> AppResult<String> {
        let secret = password.secret().clone();
        self.run(move |worker| {
            worker
                .hash(secret.expose_secret().as_bytes())
                .map_err(|e| AppError::internal("hashing a password", e.to_string()))
        })
        .await
    }

    /// Whether `candidate` matches `stored`. With no stored hash (unknown login, or a profile
    /// without a password) it still does the full work and answers `false`.
    pub async fn verify(&self, candidate: &SecretString, stored: Option<&str>) -> AppResult<bool> {
        let candidate = candidate.clone();
        let known = stored.is_some();
        let stored = stored.unwrap_or(DUMMY_HASH).to_owned();
        self.run(move |worker| {
            let matches = worker
                .verify(candidate.expose_secret().as_bytes(), &stored)
                .map_err(|e| AppError::internal("checking a password", e.to_string()))?;
            Ok(known && matches)
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Worker) -> AppResult<T> + Send + 'static,
    ) -> AppResult<T> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |worker| {
            // The client went away while the job waited: its hash would help nobody.
            if !reply.is_closed() {
                let _ = reply.send(work(worker));
            }
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(lanyard_core::Error::Overloaded.into()),
            Err(TrySendError::Disconnected(_)) => {
                return Err(AppError::internal(
                    "queueing a hash",
                    "the hashing threads ended",
                ));
            }
        }
        answer
            .await
            .map_err(|e| AppError::internal("waiting for a hash", e))?
    }
}

/// One hashing thread's state: its argon2 memory, allocated at the thread's first hash (an
/// idle server, the desktop app's above all, holds none) and kept for every later one.
struct Worker {
    argon: Argon2<'static>,
    memory: Vec<Block>,
}

impl Worker {
    fn new() -> Worker {
        Worker {
            argon: argon2id(),
            memory: Vec::new(),
        }
    }

    /// Runs jobs until the hasher (the sending side) is dropped.
    fn serve(mut self, queue: &Mutex<Receiver<Job>>) {
        loop {
            // Hold the lock only to take a job, never while hashing.
            let next = match queue.lock() {
                Ok(queue) => queue.recv(),
                Err(_) => return,
            };
            match next {
                Ok(job) => job(&mut self),
                Err(_) => return,
            }
        }
    }

    fn hash(&mut self, password: &[u8]) -> Result<String, argon2::password_hash::Error> {
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
        let argon = &self.argon;
        let memory = grown(&mut self.memory, argon.params().block_count());
        let output = Output::init_with(OUTPUT_LEN, |out| {
            Ok(argon.hash_password_into_with_memory(password, salt_bytes, out, &mut *memory)?)
        })?;
        let phc = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(argon.params())?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(phc.to_string())
    }

    /// Recomputes `stored`'s hash of `candidate` with the parameters `stored` names (a hash
    /// made under other parameters still verifies) and compares in constant time.
    fn verify(
        &mut self,
        candidate: &[u8],
        stored: &str,
    ) -> Result<bool, argon2::password_hash::Error> {
        let stored = PasswordHash::new(stored)?;
        let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
            return Err(argon2::password_hash::Error::PhcStringField);
        };
        let algorithm = Algorithm::try_from(stored.algorithm)?;
        let version = stored
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let params = Params::try_from(&stored)?;
        let blocks = params.block_count();
        let argon = Argon2::new(algorithm, version, params);
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
        let mut other_memory = Vec::new();
        let memory = if blocks <= self.argon.params().block_count() {
            grown(&mut self.memory, blocks)
        } else {
            // Only a hash made with more memory than ours: allocated for this one, so the
            // thread keeps no more than the server's own parameters need.
            grown(&mut other_memory, blocks)
        };
        let computed = Output::init_with(expected.len(), |out| {
            Ok(argon.hash_password_into_with_memory(candidate, salt_bytes, out, &mut *memory)?)
        })?;
        // `Output`'s equality is constant-time.
        Ok(computed == expected)
    }
}

/// The first `blocks` blocks of `memory`, grown to that size if need be.
fn grown(memory: &mut Vec<Block>, blocks: usize) -> &mut [Block] {
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    &mut memory[..blocks]
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    #[test]
    fn a_hash_is_a_standard_phc_string_that_argon2_itself_accepts() {
        let mut worker = Worker::new();
        let hash = worker.hash(b"correct horse battery staple").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            argon2id()
                .verify_password(b"correct horse battery staple", &parsed)
                .is_ok()
        );
        assert!(argon2id().verify_password(b"wrong", &parsed).is_err());
    }

    /// Hashing threads run below the request threads (nice 10); the rest of the process keeps
    /// the default priority.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashing_threads_yield_to_the_threads_that_answer_requests() {
        let hasher = Hasher::new(1).unwrap();
        // A hash answered: the thread is past its start.
        hasher
            .verify(&SecretString::from("a guess"), None)
            .await
            .unwrap();
        // Field 19 of a thread's stat is its nice value; the fields after the name from 3.
        let nice = |task: &std::path::Path| -> i32 {
            let stat = std::fs::read_to_string(task.join("stat")).unwrap();
            let after_name = stat.rsplit_once(") ").unwrap().1;
            after_name.split(' ').nth(19 - 3).unwrap().parse().unwrap()
        };
        let mut hashing = 0;
        for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
            let Ok(name) = std::fs::read_to_string(task.path().join("comm")) else {
                continue; // a thread that ended meanwhile
            };
            if name.starts_with("hash-") {
                hashing += 1;
                assert_eq!(nice(&task.path()), HASHING_NICE, "{name}");
            }
        }
        assert!(hashing >= 1);
        assert_eq!(nice(std::path::Path::new("/proc/thread-self")), 0);
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        assert_eq!(Params::try_from(&dummy).unwrap(), *argon2id().params());
        assert_eq!(dummy.algorithm, Algorithm::Argon2id.ident());
        assert!(!Worker::new().verify(b"", DUMMY_HASH).unwrap());
    }

    #[test]
    fn the_same_memory_verifies_again_and_again() {
        let mut worker = Worker::new();
        let first = worker.hash(b"first password").unwrap();
        let second = worker.hash(b"second password").unwrap();
        assert!(worker.verify(b"first password", &first).unwrap());
        assert!(worker.verify(b"second password", &second).unwrap());
        assert!(!worker.verify(b"second password", &first).unwrap());
        assert!(!worker.verify(b"first password", &second).unwrap());
    }

    #[test]
    fn hashes_made_with_other_parameters_still_verify() {
        use argon2::PasswordHasher;
        let salt = SaltString::generate(&mut OsRng);
        for params in [
            Params::new(8 * 1024, 1, 1, None),
            Params::new(32 * 1024, 2, 1, None),
        ] {
            let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.unwrap());
            let stored = argon.hash_password(b"older", &salt).unwrap().to_string();
            let mut worker = Worker::new();
            assert!(worker.verify(b"older", &stored).unwrap(), "{stored}");
            assert!(!worker.verify(b"newer", &stored).unwrap(), "{stored}");
        }
    }

    #[test]
    fn a_stored_value_that_is_no_hash_is_an_error_not_a_match() {
        let mut worker = Worker::new();
        assert!(worker.verify(b"anything", "not a hash").is_err());
        assert!(
            worker
                .verify(b"anything", "$argon2id$v=19$m=19456,t=2,p=1")
                .is_err()
        );
    }

    #[tokio::test]
    async fn the_hasher_answers_from_its_threads() {
        let hasher = Hasher::new(2).unwrap();
        let password =
            Password::parse(&SecretString::from("correct horse battery staple")).unwrap();
        let hash = hasher.hash(&password).await.unwrap();
        let right = SecretString::from("correct horse battery staple");
        let wrong = SecretString::from("correct horse battery stapler");
        assert!(hasher.verify(&right, Some(&hash)).await.unwrap());
        assert!(!hasher.verify(&wrong, Some(&hash)).await.unwrap());
        // An unknown login does the same work and never matches.
        assert!(!hasher.verify(&right, None).await.unwrap());
    }
}
