fn main() -> std::process::ExitCode {
    // Output piped into a program that stops reading (`dibao check … | head`)
    // ends dibao quietly, as it ends any Unix tool, instead of a panic in
    // the middle of a line.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal, before any
    // thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    dibao::cli::main()
}
