fn main() -> std::process::ExitCode {
    dibao::cli::main()
}
