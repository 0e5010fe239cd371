/// Command-line options of `kefu-bench`.
struct BenchOptions {
    var redisURL = "redis://127.0.0.1:6379"
    var count = 200_000
    var batchSize = 100
    var pipelineDepth = 100
    var rounds = 1

    static let usage = """
        usage: kefu-bench [--redis-url URL] [--count N] [--batch N] [--pipeline N] [--rounds N]
          --redis-url  Redis to use (default redis://127.0.0.1:6379); streams kefu:bench:* are created and deleted
          --count      messages per measurement (default 200000)
          --batch      XREADGROUP COUNT and handler batch size (default 100)
          --pipeline   XADD commands per pipelined round trip (default 100)
          --rounds     measure raw and runtime this many times each, report the best (default 1)
        """

    /// Parses `arguments` (without the program name).
    init(arguments: [String]) throws(BenchOptionsError) {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            if flag == "--help" || flag == "-h" { throw .help }
            guard let value = iterator.next() else { throw .invalid("\(flag) needs a value") }
            switch flag {
            case "--redis-url": redisURL = value
            case "--count": count = try Self.positive(flag, value)
            case "--batch": batchSize = try Self.positive(flag, value)
            case "--pipeline": pipelineDepth = try Self.positive(flag, value)
            case "--rounds": rounds = try Self.positive(flag, value)
            default: throw .invalid("unknown option \(flag)")
            }
        }
    }

    private static func positive(_ flag: String, _ value: String) throws(BenchOptionsError) -> Int {
        guard let number = Int(String(value.filter { $0 != "_" })), number > 0 else {
            throw .invalid("\(flag) must be a positive integer, got '\(value)'")
        }
        return number
    }
}

/// Why the options were not accepted.
enum BenchOptionsError: Error {
    case help
    case invalid(String)
}
