/// Aho–Corasick automaton over folded Unicode scalars, stored in flat arrays.
struct SensitiveWordAutomaton: Sendable {
    /// Failure link per node (node 0 is the root).
    private let failure: [Int32]
    /// Length in scalars of the longest pattern that is a suffix of the node's path; 0 if none.
    private let outputLength: [Int32]
    private let edges: SensitiveWordEdgeTable
    /// Length in scalars of the longest pattern.
    let maxPatternLength: Int
    /// Number of distinct patterns.
    let patternCount: Int

    /// Builds the automaton from already folded, non-empty patterns.
    init(patterns: [[UInt32]]) {
        let scalarTotal = patterns.reduce(0) { $0 + $1.count }
        var edges = SensitiveWordEdgeTable(edgeCapacity: scalarTotal + 1)
        var terminalLength: [Int32] = [0]
        var firstChild: [Int32] = [-1]
        var nextSibling: [Int32] = [-1]
        var edgeScalar: [UInt32] = [0]
        var distinct = 0
        var longest = 0

        for pattern in patterns where !pattern.isEmpty {
            var node: Int32 = 0
            for scalar in pattern {
                let existing = edges.child(node, scalar)
                if existing >= 0 {
                    node = existing
                    continue
                }
                let created = Int32(terminalLength.count)
                terminalLength.append(0)
                firstChild.append(-1)
                nextSibling.append(firstChild[Int(node)])
                edgeScalar.append(scalar)
                firstChild[Int(node)] = created
                edges.insert(node, scalar, child: created)
                node = created
            }
            if terminalLength[Int(node)] == 0 {
                distinct += 1
                terminalLength[Int(node)] = Int32(pattern.count)
            }
            longest = max(longest, pattern.count)
        }

        var failure = [Int32](repeating: 0, count: terminalLength.count)
        var output = terminalLength
        var queue: [Int32] = []
        queue.reserveCapacity(terminalLength.count)
        var child = firstChild[0]
        while child >= 0 {
            queue.append(child)
            child = nextSibling[Int(child)]
        }
        var head = 0
        while head < queue.count {
            let parent = queue[head]
            head += 1
            var current = firstChild[Int(parent)]
            while current >= 0 {
                let scalar = edgeScalar[Int(current)]
                var fallback = failure[Int(parent)]
                var link: Int32 = 0
                while true {
                    let target = edges.child(fallback, scalar)
                    if target >= 0 { link = target; break }
                    if fallback == 0 { break }
                    fallback = failure[Int(fallback)]
                }
                failure[Int(current)] = link
                if output[Int(current)] == 0 { output[Int(current)] = output[Int(link)] }
                queue.append(current)
                current = nextSibling[Int(current)]
            }
        }

        self.failure = failure
        self.outputLength = output
        self.edges = edges
        self.maxPatternLength = longest
        self.patternCount = distinct
    }

    /// Scans UTF-8 bytes and calls `onMatch(startOffset, endOffset)` (byte offsets,
    /// end exclusive) for the longest pattern ending at each scalar. Stops early
    /// when `onMatch` returns `false`.
    func scan(utf8 bytes: UnsafeBufferPointer<UInt8>, onMatch: (Int, Int) -> Bool) {
        guard patternCount > 0, !bytes.isEmpty else { return }
        var ringSize = 1
        while ringSize < maxPatternLength { ringSize <<= 1 }
        let ringMask = ringSize - 1
        withUnsafeTemporaryAllocation(of: Int.self, capacity: ringSize) { ring in
            failure.withUnsafeBufferPointer { failure in
                outputLength.withUnsafeBufferPointer { output in
                    var node: Int32 = 0
                    var offset = 0
                    var scalarIndex = 0
                    let count = bytes.count
                    while offset < count {
                        let start = offset
                        let lead = UInt32(bytes[offset])
                        var value: UInt32
                        if lead < 0x80 {
                            value = lead
                            offset += 1
                        } else if lead < 0xE0 {
                            value = (lead & 0x1F) << 6 | UInt32(bytes[offset + 1] & 0x3F)
                            offset += 2
                        } else if lead < 0xF0 {
                            value = (lead & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6
                                | UInt32(bytes[offset + 2] & 0x3F)
                            offset += 3
                        } else {
                            value = (lead & 0x07) << 18 | UInt32(bytes[offset + 1] & 0x3F) << 12
                                | UInt32(bytes[offset + 2] & 0x3F) << 6 | UInt32(bytes[offset + 3] & 0x3F)
                            offset += 4
                        }
                        value = RoutingTextFolding.fold(value)
                        ring[scalarIndex & ringMask] = start

                        while true {
                            let next = edges.child(node, value)
                            if next >= 0 { node = next; break }
                            if node == 0 { break }
                            node = failure[Int(node)]
                        }
                        let length = Int(output[Int(node)])
                        if length > 0 {
                            let matchStart = ring[(scalarIndex - length + 1) & ringMask]
                            if !onMatch(matchStart, offset) { return }
                        }
                        scalarIndex += 1
                    }
                }
            }
        }
    }
}
