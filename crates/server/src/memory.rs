//! How the process keeps its memory. glibc's malloc raises the size above
//! which a block gets its own mapping each time such a block is freed, so
//! after the first sign-in (Argon2 fills 19 MiB) every later large block —
//! the next sign-in's, a bulk job's — stays in the heap after it is freed,
//! and the process holds on to tens of megabytes it no longer uses (the
//! scale benchmark's peak on SQLite: 117 MB before this, 49 MB after). Fixing the
//! threshold at glibc's default (128 KiB) returns every large block to the
//! system when it is freed. Called first thing by `cam-server` (and by the
//! benchmark, which runs the same server in its process).

/// Large blocks (128 KiB and more) get their own mapping, returned when
/// freed. (It overrides `MALLOC_MMAP_THRESHOLD_` and `GLIBC_TUNABLES`.)
///
/// # Safety
///
/// glibc's `mallopt` is not thread-safe: call this before the process
/// starts any other thread (first thing in `main`, before the runtime).
pub unsafe fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: the caller guarantees no other thread exists yet; `mallopt`
    // only sets a documented tunable of the allocator and does not touch
    // memory handed out earlier.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
