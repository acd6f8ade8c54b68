//! How the server's memory goes back to the system after a burst.
//!
//! glibc's malloc raises its mmap threshold each time a large mmapped block is freed,
//! after which blocks of that size come from per-thread arenas and stay resident. A
//! password check (argon2id) allocates 19 MiB on whichever blocking thread runs it, so
//! a burst of sign-ins used to leave about 19 MiB behind in each of many arenas, though
//! at most two checks ever ran at once. A fixed threshold keeps every block of 1 MiB or
//! more mmapped, and returned to the system when it is freed.

/// Blocks this large or larger are mmapped and unmapped on free.
const MMAP_THRESHOLD: i32 = 1024 * 1024;

/// Fixes malloc's mmap threshold (glibc only; elsewhere the allocator decides).
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a malloc parameter; glibc serialises it with its own lock.
    let set = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) } == 1;
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let set = true;
    if !set {
        tracing::warn!("could not fix malloc's mmap threshold: memory may stay resident after bursts");
    }
}
