/// Which master serves each of the 16,384 slots, as `CLUSTER SLOTS` reported it.
struct ClusterSlotMap: Sendable, Equatable {
    /// The masters, in the order `CLUSTER SLOTS` first named them.
    private(set) var masters: [RedisEndpoint] = []
    /// Per slot, the index in ``masters`` of its master, or -1 when no master serves it.
    private var owners = [Int16](repeating: -1, count: ClusterKeySlot.count)

    /// The master serving `slot`, if any.
    func master(of slot: Int) -> RedisEndpoint? {
        let index = Int(owners[slot])
        return index >= 0 ? masters[index] : nil
    }

    /// Records that `endpoint` serves `slot` (after a `MOVED`).
    mutating func assign(_ slot: Int, to endpoint: RedisEndpoint) {
        let index: Int
        if let known = masters.firstIndex(of: endpoint) {
            index = known
        } else {
            masters.append(endpoint)
            index = masters.count - 1
        }
        owners[slot] = Int16(index)
    }

    /// The slots no master serves, as ranges; empty when the map is complete.
    var uncovered: [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        var start: Int?
        for slot in 0..<ClusterKeySlot.count {
            if owners[slot] < 0 {
                if start == nil { start = slot }
            } else if let first = start {
                ranges.append(first...(slot - 1))
                start = nil
            }
        }
        if let first = start { ranges.append(first...(ClusterKeySlot.count - 1)) }
        return ranges
    }

    /// Parses a `CLUSTER SLOTS` reply: `[[start, end, [host, port, id…], replicas…]…]`. An empty host means
    /// the node that answered (`answeredBy`).
    init(slotsReply reply: RedisReply, answeredBy: RedisEndpoint) throws(RedisError) {
        guard let ranges = reply.array else {
            throw .protocolViolation("CLUSTER SLOTS did not return an array")
        }
        for range in ranges {
            guard let parts = range.array, parts.count >= 3, let start = parts[0].int, let end = parts[1].int,
                  start >= 0, end >= start, end < ClusterKeySlot.count,
                  let node = parts[2].array, node.count >= 2, let host = node[0].string, let port = node[1].int
            else {
                throw .protocolViolation("CLUSTER SLOTS returned a malformed slot range")
            }
            let endpoint = RedisEndpoint(host: host.isEmpty || host == "?" ? answeredBy.host : host, port: Int(port))
            for slot in Int(start)...Int(end) {
                assign(slot, to: endpoint)
            }
        }
    }

    init() {}
}
