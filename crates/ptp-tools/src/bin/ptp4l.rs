//! ptp4l: a drop-in for linuxptp's ptp4l (options.md "ptp4l"). Thin: parse the options, read
//! the configuration, refuse what ptp-rs has not built yet, and run the daemon loop of
//! ptp-linux.

use std::io::Read;
use std::process::ExitCode;

use ptp_config::ptp4l::{parse_args, Ptp4lAction};
use ptp_config::Program;

fn usage(progname: &str) {
    eprint!(
        "\n\
usage: {progname} [options]\n\n \
Delay Mechanism\n\n \
-A        Auto, starting with E2E\n \
-E        E2E, delay request-response (default)\n \
-P        P2P, peer delay mechanism\n\n \
Network Transport\n\n \
-2        IEEE 802.3\n \
-4        UDP IPV4 (default)\n \
-6        UDP IPV6\n\n \
Time Stamping\n\n \
-H        HARDWARE (default)\n \
-S        SOFTWARE\n \
-L        LEGACY HW\n\n \
Other Options\n\n \
-f [file] read configuration from 'file'\n \
-i [dev]  interface device to use, for example 'eth0'\n           \
(may be specified multiple times)\n \
-p [dev]  Clock device to use, default auto\n           \
(ignored for SOFTWARE/LEGACY HW time stamping)\n \
-s        client only synchronization mode (overrides configuration file)\n \
-l [num]  set the logging level to 'num'\n \
-m        print messages to stdout\n \
-q        do not print messages to the syslog\n \
-v        prints the software version and exits\n \
-h        prints this message and exits\n\n"
    );
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    let progname =
        argv.first().map(|a| a.rsplit('/').next().unwrap_or(a).to_owned()).unwrap_or_else(|| "ptp4l".to_owned());
    let args = match parse_args(argv) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            if e.prints_usage() {
                usage(&progname);
            }
            return ExitCode::from(e.exit_code());
        }
    };
    for w in &args.warnings {
        eprintln!("{w}");
    }
    match args.action {
        Ptp4lAction::Version => {
            println!("{}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Ptp4lAction::Help => {
            usage(&progname);
            return ExitCode::SUCCESS;
        }
        Ptp4lAction::Run => {}
    }
    let mut cfg = args.to_config();
    if let Some(file) = &args.config_file {
        let result = if file == "-" {
            let mut data = Vec::new();
            match std::io::stdin().read_to_end(&mut data) {
                Ok(_) => cfg.read_bytes(&data, file),
                Err(e) => Err(ptp_config::ReadError::open(file, &e)),
            }
        } else {
            cfg.read_file(std::path::Path::new(file))
        };
        if let Err(e) = result {
            eprint!("{}", e.stderr_text(Program::Ptp4l));
            return ExitCode::from(e.exit_code(Program::Ptp4l));
        }
    }
    for w in cfg.take_warnings() {
        eprintln!("{w}");
    }
    if cfg.interfaces().is_empty() {
        eprintln!("no interface specified");
        usage(&progname);
        return ExitCode::from(255);
    }
    // linuxptp's config_harmonize_onestep and servo constraints, logged like its pr_err/pr_debug.
    let logger = ptp_linux::daemon::Logger::from_config(&progname, &cfg);
    let now = ptp_linux::daemon::monotonic();
    match cfg.harmonize_onestep() {
        Ok(Some(debug)) => logger.say(now, ptp_engine::log::Level::Debug, debug),
        Ok(None) => {}
        Err(e) => {
            logger.say(now, ptp_engine::log::Level::Err, e.to_string());
            return ExitCode::from(255);
        }
    }
    cfg.apply_servo_constraints(Program::Ptp4l);
    let opts = ptp_linux::daemon::RunOptions { phc_device: args.phc_device.clone() };
    match ptp_linux::daemon::run(&cfg, &progname, &opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(255)
        }
    }
}
