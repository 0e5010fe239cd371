import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Redis Cluster side of a ``RedisConnection``: one hiredis context per master, each command sent to
/// the master serving its key's slot. Not thread safe, like the connection that owns it.
///
/// - `MOVED` patches the shared ``ClusterTopology`` (and reloads it soon) and resends to the new master;
///   `ASK` sends `ASKING` and the command to the importing node once, without changing the map.
/// - `-CLUSTERDOWN`, `-TRYAGAIN` and a refused connection are retried with backoff (20 ms doubling to 500 ms)
///   for ``RedisClusterConfiguration/retryTimeout``; the command was not run, so this is safe.
/// - A connection lost after sending is thrown as ``RedisError/connectionLost(_:)`` (the map is reloaded
///   first): whether the command ran is unknown, so the caller decides, as with a single server.
/// - A pipeline is split per master (every master's part written before any reply is read); replies
///   come back in command order. `MULTI` … `EXEC` travels whole to the master of its first key.
/// - `XREAD`/`XREADGROUP` over streams of several slots is split per slot; with `BLOCK`, a first pass
///   without `BLOCK` returns what is there, else each slot's read blocks on a connection of its own and
///   the first answer wakes the others (`CLIENT UNBLOCK`); every reply is merged, so nothing read is lost.
/// - `DEL`/`UNLINK`/`EXISTS`/`TOUCH` over several slots are split and their counts summed; `FLUSHALL`,
///   `FLUSHDB`, `SCRIPT` and `CLIENT UNBLOCK` go to every master.
final class ClusterConnection {
    let configuration: RedisConfiguration
    let topology: ClusterTopology
    private let logger: Logger
    private var contexts: [RedisEndpoint: HiredisContext] = [:]
    private var blockingContexts: [RedisEndpoint: [HiredisContext]] = [:]
    private var clientIDs: [ObjectIdentifier: Int64] = [:]
    private var lastNode: RedisEndpoint?
    private var isClosed = false

    init(configuration: RedisConfiguration, topology: ClusterTopology, logger: Logger) {
        self.configuration = configuration
        self.topology = topology
        self.logger = logger
    }

    var isConnected: Bool { !contexts.isEmpty }

    private var settings: RedisClusterConfiguration {
        configuration.cluster ?? RedisClusterConfiguration(seeds: [])
    }

    func close() {
        isClosed = true
        disconnect()
    }

    func disconnect() {
        contexts.removeAll()
        blockingContexts.removeAll()
        clientIDs.removeAll()
    }

    /// Loads the slot map and connects to one master.
    func connect() throws(RedisError) {
        let node = try defaultNode()
        _ = try context(for: node)
    }

    /// `CLIENT ID` on the master that served this connection's last command (where a blocked read waits).
    func clientID() throws(RedisError) -> Int64 {
        let node = try defaultNode()
        let context = try context(for: node)
        if let id = clientIDs[ObjectIdentifier(context)] { return id }
        let id = try run(on: node) { (context) throws(RedisError) in
            try context.command(ArgvStorage(strings: ["CLIENT", "ID"]))
        }
        guard let value = id.int else { throw .protocolViolation("CLIENT ID did not return an integer") }
        clientIDs[ObjectIdentifier(context)] = value
        return value
    }

    // MARK: Commands

    func command(_ command: [[UInt8]]) throws(RedisError) -> RedisReply {
        if isClosed { throw .closed }
        let name = Self.name(command)
        if Self.isBroadcast(name, command) {
            return try broadcast(command)
        }
        let slot = ClusterCommandKeys.slot(of: command)
        if slot == -1 {
            if name == "XREAD" || name == "XREADGROUP" { return try splitRead(command) }
            if ["DEL", "UNLINK", "EXISTS", "TOUCH"].contains(name) { return try splitCount(command) }
        }
        return try execute([command], slot: slot).first ?? .null
    }

    func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        if isClosed { throw .closed }
        if commands.isEmpty { return [] }
        let units = Self.units(of: commands)
        var replies = [RedisReply?](repeating: nil, count: commands.count)
        var byNode: [RedisEndpoint: [Unit]] = [:]
        var nodeOrder: [RedisEndpoint] = []
        var alone: [Unit] = []
        for unit in units {
            if unit.slot == -1 || (unit.range.count == 1 && Self.isBroadcast(Self.name(commands[unit.range.lowerBound]), commands[unit.range.lowerBound])) {
                alone.append(unit)
                continue
            }
            let node = try self.node(for: unit.slot)
            if byNode[node] == nil { nodeOrder.append(node) }
            byNode[node, default: []].append(unit)
        }
        var retry: [Unit] = alone
        var written: [(RedisEndpoint, HiredisContext, [Unit])] = []
        for node in nodeOrder {
            let nodeUnits = byNode[node] ?? []
            do {
                let context = try context(for: node)
                for unit in nodeUnits {
                    for index in unit.range { try context.append(ArgvStorage(binary: commands[index])) }
                }
                try context.flush()
                written.append((node, context, nodeUnits))
            } catch {
                drop(node)
                if case .connectionFailed = error {
                    topology.invalidate()
                    retry += nodeUnits
                    continue
                }
                try? topology.refresh(force: false)
                throw error
            }
        }
        for (node, context, nodeUnits) in written {
            for unit in nodeUnits {
                var unitReplies: [RedisReply] = []
                for _ in unit.range {
                    do {
                        unitReplies.append(try context.readReply())
                    } catch {
                        drop(node)
                        try? topology.refresh(force: false)
                        throw error
                    }
                }
                if Self.redirect(in: unitReplies) != nil {
                    retry.append(unit)
                } else {
                    for (offset, reply) in unitReplies.enumerated() { replies[unit.range.lowerBound + offset] = reply }
                }
            }
            lastNode = node
        }
        for unit in retry.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            let unitCommands = Array(commands[unit.range])
            let unitReplies: [RedisReply]
            if unit.range.count == 1 {
                unitReplies = [try command(unitCommands[0])]
            } else {
                unitReplies = try execute(unitCommands, slot: unit.slot)
            }
            for (offset, reply) in unitReplies.enumerated() { replies[unit.range.lowerBound + offset] = reply }
        }
        return replies.map { $0 ?? .null }
    }

    /// Sends `unit` (one command, or a `MULTI` … `EXEC` block) to the master of `slot` (any master when nil),
    /// following redirects and retrying while the cluster is not ready.
    func execute(_ unit: [[[UInt8]]], slot: Int?) throws(RedisError) -> [RedisReply] {
        let deadline = ContinuousClock.now + settings.retryTimeout
        var delay = Duration.milliseconds(20)
        var redirects = 0
        var target: RedisEndpoint?
        var asking = false
        while true {
            let node: RedisEndpoint
            if let target { node = target } else { node = try self.node(for: slot) }
            var replies: [RedisReply]
            do {
                let commands = (asking ? [[Array("ASKING".utf8)]] : []) + unit
                replies = try run(on: node) { (context) throws(RedisError) in
                    try context.pipeline(commands.map { ArgvStorage(binary: $0) })
                }
                if asking { replies.removeFirst() }
            } catch {
                guard case .connectionFailed = error, ContinuousClock.now + delay < deadline else {
                    if error.isConnectionError { try? topology.refresh(force: false) }
                    throw error
                }
                topology.invalidate()
                Self.sleep(delay)
                delay = min(delay * 2, .milliseconds(500))
                target = nil
                asking = false
                continue
            }
            switch Self.redirect(in: replies) {
            case nil:
                lastNode = node
                return replies
            case .moved(let movedSlot, let endpoint)?:
                redirects += 1
                guard redirects <= settings.maxRedirects else {
                    throw .cluster("more than \(settings.maxRedirects) redirects for slot \(movedSlot)")
                }
                topology.moved(movedSlot, to: endpoint)
                target = endpoint
                asking = false
            case .ask(let askedSlot, let endpoint)?:
                redirects += 1
                guard redirects <= settings.maxRedirects else {
                    throw .cluster("more than \(settings.maxRedirects) redirects for slot \(askedSlot)")
                }
                target = endpoint
                asking = true
            case .retry(let message)?:
                guard ContinuousClock.now + delay < deadline else {
                    throw .cluster("\(message) for longer than \(settings.retryTimeout)")
                }
                if message.hasPrefix("CLUSTERDOWN") { topology.invalidate() }
                Self.sleep(delay)
                delay = min(delay * 2, .milliseconds(500))
                target = nil
                asking = false
            }
        }
    }

    // MARK: Split commands

    /// Sends `command` to every master; returns the first reply (or the sum of integer replies).
    private func broadcast(_ command: [[UInt8]]) throws(RedisError) -> RedisReply {
        var first: RedisReply?
        var sum: Int64 = 0
        var allIntegers = true
        for node in try topology.masters() {
            let reply = try run(on: node) { (context) throws(RedisError) in try context.command(ArgvStorage(binary: command)) }
            if case .integer(let value) = reply { sum += value } else { allIntegers = false }
            if first == nil || reply.errorMessage != nil { first = reply }
        }
        return allIntegers ? .integer(sum) : (first ?? .null)
    }

    /// `DEL`-like commands over several slots: one command per slot, counts summed.
    private func splitCount(_ command: [[UInt8]]) throws(RedisError) -> RedisReply {
        var bySlot: [Int: [[UInt8]]] = [:]
        for key in command.dropFirst() { bySlot[ClusterKeySlot.slot(of: key), default: []].append(key) }
        let parts = bySlot.keys.sorted().map { [command[0]] + (bySlot[$0] ?? []) }
        var sum: Int64 = 0
        for reply in try pipeline(parts) {
            guard case .integer(let value) = reply else { return reply }
            sum += value
        }
        return .integer(sum)
    }

    /// `XREAD`/`XREADGROUP` over streams of several slots (see the type's documentation).
    private func splitRead(_ command: [[UInt8]]) throws(RedisError) -> RedisReply {
        let keys = ClusterCommandKeys.streamKeys(of: command)
        let head = Array(command[..<keys.lowerBound])
        let ids = Array(command[keys.upperBound...])
        var order: [Int] = []
        var bySlot: [Int: [Int]] = [:]
        for (offset, index) in keys.enumerated() {
            let slot = ClusterKeySlot.slot(of: command[index])
            if bySlot[slot] == nil { order.append(slot) }
            bySlot[slot, default: []].append(offset)
        }
        let parts = order.map { slot -> [[UInt8]] in
            let offsets = bySlot[slot] ?? []
            return head + offsets.map { command[keys.lowerBound + $0] } + offsets.map { ids[$0] }
        }
        let blockAt = head.firstIndex { String(decoding: $0, as: UTF8.self).uppercased() == "BLOCK" }
        guard let blockAt, blockAt + 1 < head.count else {
            return try Self.merge(pipeline(parts))
        }
        let nonBlocking = parts.map { part -> [[UInt8]] in
            var copy = part
            copy.removeSubrange(blockAt...(blockAt + 1))
            return copy
        }
        let first = try Self.merge(pipeline(nonBlocking))
        if !first.isNull { return first }
        let slots = order
        return try Self.merge(blockingFanOut(parts, slots: slots, fallback: nonBlocking))
    }

    /// Runs blocking reads, one per slot, each on its own connection; the first answer wakes the rest.
    private func blockingFanOut(_ parts: [[[UInt8]]], slots: [Int], fallback: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        var used: [(node: RedisEndpoint, context: HiredisContext, id: Int64)] = []
        var perNode: [RedisEndpoint: Int] = [:]
        do {
            for (part, slot) in zip(parts, slots) {
                let node = try topology.master(of: slot)
                let index = perNode[node, default: 0]
                perNode[node] = index + 1
                let (context, id) = try blockingContext(node, index)
                try context.append(ArgvStorage(binary: part))
                try context.flush()
                used.append((node, context, id))
            }
        } catch {
            blockingContexts.removeAll()
            throw error
        }
        var replies = [RedisReply?](repeating: nil, count: used.count)
        do throws(RedisError) {
            let timeoutMs = Int32(clamping: Int(configuration.readTimeout.components.seconds) * 1000)
            var fds = used.map { pollfd(fd: $0.context.fileDescriptor, events: Int16(POLLIN), revents: 0) }
            var ready = -1
            while ready < 0 {
                let count = poll(&fds, nfds_t(fds.count), timeoutMs)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw .connectionLost("blocking read timed out") }
                ready = fds.firstIndex { $0.revents != 0 } ?? -1
            }
            replies[ready] = try used[ready].context.readReply()
            for index in used.indices where index != ready {
                try wake(used[index], fd: fds[index].fd)
                replies[index] = try used[index].context.readReply()
            }
        } catch {
            blockingContexts.removeAll()
            throw error
        }
        var result: [RedisReply] = []
        for (index, reply) in replies.enumerated() {
            let reply = reply ?? .null
            if Self.redirect(in: [reply]) != nil {
                result.append(try command(fallback[index]))
            } else {
                result.append(reply)
            }
        }
        return result
    }

    /// `CLIENT UNBLOCK` until the blocked read answers (a read not yet blocked on the server is retried).
    private func wake(_ reader: (node: RedisEndpoint, context: HiredisContext, id: Int64), fd: Int32) throws(RedisError) {
        while true {
            var probe = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&probe, 1, 0) > 0 { return }
            let reply = try run(on: reader.node) { (context) throws(RedisError) in
                try context.command(ArgvStorage(strings: ["CLIENT", "UNBLOCK", String(reader.id)]))
            }
            if reply.int == 1 { return }
            probe.revents = 0
            if poll(&probe, 1, 10) > 0 { return }
        }
    }

    private func blockingContext(_ node: RedisEndpoint, _ index: Int) throws(RedisError) -> (HiredisContext, Int64) {
        var list = blockingContexts[node] ?? []
        while list.count <= index {
            let context = try open(node)
            list.append(context)
            blockingContexts[node] = list
        }
        let context = list[index]
        if let id = clientIDs[ObjectIdentifier(context)] { return (context, id) }
        guard let id = try context.command(ArgvStorage(strings: ["CLIENT", "ID"])).int else {
            throw .protocolViolation("CLIENT ID did not return an integer")
        }
        clientIDs[ObjectIdentifier(context)] = id
        return (context, id)
    }

    /// Concatenates per-slot `XREAD` replies (nil when all are nil); an error reply is returned as is.
    private static func merge(_ replies: [RedisReply]) -> RedisReply {
        var streams: [RedisReply] = []
        for reply in replies {
            switch reply {
            case .array(let items): streams += items
            case .null: continue
            default: return reply
            }
        }
        return streams.isEmpty ? .null : .array(streams)
    }

    // MARK: Connections

    private func node(for slot: Int?) throws(RedisError) -> RedisEndpoint {
        guard let slot else { return try defaultNode() }
        return try topology.master(of: slot)
    }

    private func defaultNode() throws(RedisError) -> RedisEndpoint {
        if let lastNode { return lastNode }
        guard let node = try topology.masters().first else { throw .cluster("the slot map names no master") }
        return node
    }

    private func context(for node: RedisEndpoint) throws(RedisError) -> HiredisContext {
        if let context = contexts[node] { return context }
        let context = try open(node)
        contexts[node] = context
        return context
    }

    private func open(_ node: RedisEndpoint) throws(RedisError) -> HiredisContext {
        let target = configuration.direct(to: node)
        let context = try HiredisContext.connect(target)
        try RedisConnection.handshake(context, target)
        return context
    }

    private func drop(_ node: RedisEndpoint) {
        if let context = contexts.removeValue(forKey: node) { clientIDs[ObjectIdentifier(context)] = nil }
        if lastNode == node { lastNode = nil }
    }

    /// Runs `body` on the context of `node`; a connection error drops that context.
    private func run<R>(on node: RedisEndpoint, _ body: (HiredisContext) throws(RedisError) -> R) throws(RedisError) -> R {
        let context = try context(for: node)
        do {
            return try body(context)
        } catch {
            if error.isConnectionError { drop(node) }
            throw error
        }
    }

    // MARK: Helpers

    /// One command, or a `MULTI` … `EXEC`/`DISCARD` block, with the slot of its first key.
    struct Unit {
        var range: Range<Int>
        var slot: Int?
    }

    static func units(of commands: [[[UInt8]]]) -> [Unit] {
        var units: [Unit] = []
        var index = 0
        while index < commands.count {
            if name(commands[index]) == "MULTI" {
                var end = index + 1
                var slot: Int?
                while end < commands.count {
                    let inner = name(commands[end])
                    if slot == nil, let own = ClusterCommandKeys.slot(of: commands[end]) { slot = own }
                    end += 1
                    if inner == "EXEC" || inner == "DISCARD" { break }
                }
                units.append(Unit(range: index..<end, slot: slot))
                index = end
            } else {
                units.append(Unit(range: index..<(index + 1), slot: ClusterCommandKeys.slot(of: commands[index])))
                index += 1
            }
        }
        return units
    }

    enum Redirect: Equatable {
        case moved(Int, RedisEndpoint)
        case ask(Int, RedisEndpoint)
        case retry(String)
    }

    /// The first redirect or retryable error among `replies` (top level only).
    static func redirect(in replies: [RedisReply]) -> Redirect? {
        for reply in replies {
            guard let message = reply.errorMessage else { continue }
            if message.hasPrefix("MOVED ") || message.hasPrefix("ASK ") {
                let fields = message.split(separator: " ")
                guard fields.count == 3, let slot = Int(fields[1]), let colon = fields[2].lastIndex(of: ":"),
                      let port = Int(fields[2][fields[2].index(after: colon)...]) else { continue }
                var host = String(fields[2][..<colon])
                if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
                let endpoint = RedisEndpoint(host: host, port: port)
                return message.hasPrefix("MOVED") ? .moved(slot, endpoint) : .ask(slot, endpoint)
            }
            if message.hasPrefix("TRYAGAIN") || message.hasPrefix("CLUSTERDOWN") {
                return .retry(String(message.prefix { $0 != " " }))
            }
        }
        return nil
    }

    static func name(_ command: [[UInt8]]) -> String {
        command.first.map { String(decoding: $0, as: UTF8.self).uppercased() } ?? ""
    }

    private static func isBroadcast(_ name: String, _ command: [[UInt8]]) -> Bool {
        switch name {
        case "FLUSHALL", "FLUSHDB", "SCRIPT": return true
        case "CLIENT": return command.count > 1 && String(decoding: command[1], as: UTF8.self).uppercased() == "UNBLOCK"
        default: return false
        }
    }

    private static func sleep(_ duration: Duration) {
        var request = timespec(duration)
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR {
            request = remaining
        }
    }
}
