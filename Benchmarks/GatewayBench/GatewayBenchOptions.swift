import Foundation

/// Command-line options of `kefu-gateway-bench`.
struct GatewayBenchOptions {
    var gateway = "http://127.0.0.1:8080"
    var adminUser = "admin"
    var adminPassword = ProcessInfo.processInfo.environment["KEFU_BENCH_ADMIN_PASSWORD"] ?? ""
    var visitors = 50
    var agents = 5
    var messages = 20
    var waitSeconds = 60
    var intervalMilliseconds = 1000

    static let usage = """
        usage: kefu-gateway-bench [--gateway URL] [--admin USER] [--visitors N] [--agents M] [--messages K] [--interval MS]
          --gateway   base URL of a running kefu-gateway with routing and store behind it (default http://127.0.0.1:8080)
          --admin     admin username (password from KEFU_BENCH_ADMIN_PASSWORD)
          --visitors  visitor sockets (default 50)
          --agents    agent sockets (default 5); each agent takes up to 50 sessions
          --messages  messages each visitor sends in each measured phase (default 20)
          --interval  milliseconds between a visitor's messages in the paced phase (default 1000)
          --wait      seconds to wait for assignments, deliveries and store (default 60)
        Exits 1 unless every message reached an agent socket and every session reached store; always ends
        its visitors' sessions and disables the agent accounts it created before it exits.
        """

    init(arguments: [String]) throws(GatewayBenchError) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            if flag == "--help" || flag == "-h" { throw .usage }
            guard let value = iterator.next() else { throw .failed("\(flag) needs a value") }
            switch flag {
            case "--gateway": gateway = value
            case "--admin": adminUser = value
            case "--visitors": visitors = try Self.positive(flag, value)
            case "--agents": agents = try Self.positive(flag, value)
            case "--messages": messages = try Self.positive(flag, value)
            case "--wait": waitSeconds = try Self.positive(flag, value)
            case "--interval": intervalMilliseconds = try Self.positive(flag, value)
            default: throw .failed("unknown option \(flag)")
            }
        }
        guard !adminPassword.isEmpty else { throw .failed("set KEFU_BENCH_ADMIN_PASSWORD") }
        guard visitors <= agents * 50 else { throw .failed("at most 50 visitors per agent (capacity limit)") }
    }

    private static func positive(_ flag: String, _ value: String) throws(GatewayBenchError) -> Int {
        guard let number = Int(value), number > 0 else { throw .failed("\(flag) must be a positive integer, got '\(value)'") }
        return number
    }
}

/// Why the benchmark stopped.
enum GatewayBenchError: Error, CustomStringConvertible {
    case usage
    case failed(String)

    var description: String {
        switch self {
        case .usage: GatewayBenchOptions.usage
        case .failed(let reason): reason
        }
    }
}
