import CHiredis

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The only place that touches `redisContext` and `redisReply` pointers.
/// Not thread safe: one thread at a time, like the context it wraps.
final class HiredisContext {
    private let context: UnsafeMutablePointer<redisContext>

    private init(context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    deinit {
        redisFree(context)
    }

    /// Opens a TCP connection with connect timeout, socket read/write timeout and keepalive.
    static func connect(_ configuration: RedisConfiguration) throws(RedisError) -> HiredisContext {
        let target = "\(configuration.host):\(configuration.port)"
        guard let raw = redisConnectWithTimeout(configuration.host, Int32(configuration.port),
                                                timeval(configuration.connectTimeout)) else {
            throw .connectionFailed("\(target): cannot allocate a hiredis context")
        }
        let context = HiredisContext(context: raw)
        if let message = context.errorMessage {
            throw .connectionFailed("\(target): \(message)")
        }
        if redisSetTimeout(raw, timeval(configuration.readTimeout)) != REDIS_OK {
            throw .connectionFailed("\(target): cannot set socket timeout: \(context.errorMessage ?? "unknown")")
        }
        if configuration.keepAlive, redisEnableKeepAlive(raw) != REDIS_OK {
            throw .connectionFailed("\(target): cannot enable keepalive: \(context.errorMessage ?? "unknown")")
        }
        return context
    }

    /// The context error, or nil when the context is healthy.
    var errorMessage: String? {
        guard context.pointee.err != 0 else { return nil }
        return withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Sends one command and waits for its reply.
    func command(_ arguments: ArgvStorage) throws(RedisError) -> RedisReply {
        let raw = try arguments.withArgv { (argc, argv, argvlen) throws(RedisError) -> UnsafeMutableRawPointer? in
            redisCommandArgv(context, argc, argv, argvlen)
        }
        guard let raw else {
            throw .connectionLost(errorMessage ?? "no reply")
        }
        return Self.consume(raw)
    }

    /// Waits for the next reply without sending anything (messages of a `SUBSCRIBE`d connection).
    func readReply() throws(RedisError) -> RedisReply {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK, let reply = raw else {
            throw .connectionLost(errorMessage ?? "no reply")
        }
        return Self.consume(reply)
    }

    /// The socket, so another thread can `shutdown(2)` it to wake a blocked read.
    var fileDescriptor: Int32 { context.pointee.fd }

    /// Writes all commands, then reads one reply per command.
    func pipeline(_ commands: [ArgvStorage]) throws(RedisError) -> [RedisReply] {
        for arguments in commands {
            let status = try arguments.withArgv { (argc, argv, argvlen) throws(RedisError) -> Int32 in
                redisAppendCommandArgv(context, argc, argv, argvlen)
            }
            if status != REDIS_OK {
                throw .connectionLost(errorMessage ?? "cannot buffer command")
            }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let reply = raw else {
                throw .connectionLost(errorMessage ?? "no reply")
            }
            replies.append(Self.consume(reply))
        }
        return replies
    }

    /// Buffers one command without sending it (see ``flush()``).
    func append(_ arguments: ArgvStorage) throws(RedisError) {
        let status = try arguments.withArgv { (argc, argv, argvlen) throws(RedisError) -> Int32 in
            redisAppendCommandArgv(context, argc, argv, argvlen)
        }
        if status != REDIS_OK {
            throw .connectionLost(errorMessage ?? "cannot buffer command")
        }
    }

    /// Writes every buffered command to the socket (blocking until written).
    func flush() throws(RedisError) {
        var done: Int32 = 0
        while done == 0 {
            if redisBufferWrite(context, &done) != REDIS_OK {
                throw .connectionLost(errorMessage ?? "write failed")
            }
        }
    }

    /// Copies a reply into Swift values, then frees it.
    private static func consume(_ raw: UnsafeMutableRawPointer) -> RedisReply {
        let reply = raw.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(raw) }
        return convert(reply)
    }

    private static func convert(_ reply: UnsafePointer<redisReply>) -> RedisReply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING:
            return .bulk(bytes(value.str, value.len))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(value.integer))
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(value.elements)
            if let element = value.element {
                for index in 0..<value.elements {
                    if let child = element[index] {
                        elements.append(convert(child))
                    } else {
                        elements.append(.null)
                    }
                }
            }
            return .array(elements)
        default:
            return .error("unsupported reply type \(value.type)")
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let clampedSeconds = max(0, seconds)
        let micros = max(0, attoseconds / 1_000_000_000_000)
        self.init(tv_sec: Int(clampedSeconds), tv_usec: Int(micros))
    }
}
