/// Command arguments laid out in one contiguous buffer, with explicit lengths, for the
/// binary-safe `redisCommandArgv` / `redisAppendCommandArgv` calls.
struct ArgvStorage {
    private var bytes: [UInt8]
    private var lengths: [Int]

    init(strings: [String]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(strings.reduce(1) { $0 + $1.utf8.count })
        var lengths: [Int] = []
        lengths.reserveCapacity(strings.count)
        for argument in strings {
            let before = bytes.count
            bytes.append(contentsOf: argument.utf8)
            lengths.append(bytes.count - before)
        }
        bytes.append(0)
        self.bytes = bytes
        self.lengths = lengths
    }

    init(binary: [[UInt8]]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(binary.reduce(1) { $0 + $1.count })
        for argument in binary {
            bytes.append(contentsOf: argument)
        }
        bytes.append(0)
        self.bytes = bytes
        self.lengths = binary.map(\.count)
    }

    var count: Int { lengths.count }

    /// Calls `body` with `argc`, `argv` and `argvlen` pointers valid only for the duration of the call.
    func withArgv<R>(
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) throws(RedisError) -> R
    ) throws(RedisError) -> R {
        let result: Result<R, RedisError> = bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else {
                return .failure(.protocolViolation("empty argument buffer"))
            }
            var pointers: [UnsafePointer<CChar>?] = []
            pointers.reserveCapacity(lengths.count)
            var offset = 0
            for length in lengths {
                pointers.append((base + offset).assumingMemoryBound(to: CChar.self))
                offset += length
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { argvlen in
                    guard let argvBase = argv.baseAddress, let lengthBase = argvlen.baseAddress else {
                        return .failure(.protocolViolation("a command needs at least one argument"))
                    }
                    do throws(RedisError) {
                        return .success(try body(Int32(lengths.count), argvBase, lengthBase))
                    } catch {
                        return .failure(error)
                    }
                }
            }
        }
        return try result.get()
    }
}
