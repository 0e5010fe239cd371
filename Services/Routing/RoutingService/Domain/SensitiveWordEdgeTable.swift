/// Open-addressing hash table mapping `(node, scalar)` to a child node.
///
/// Keys and values live in two flat arrays; the table is sized once at build
/// time (at least twice the number of edges) and never resized.
struct SensitiveWordEdgeTable: Sendable {
    private static let emptyKey = UInt64.max

    private var keys: [UInt64]
    private var values: [Int32]
    private let slotMask: Int
    private let shift: UInt64

    /// Creates a table able to hold `edgeCapacity` edges at load factor ≤ 0.5.
    init(edgeCapacity: Int) {
        var capacity = 16
        while capacity < edgeCapacity * 2 { capacity <<= 1 }
        keys = Array(repeating: Self.emptyKey, count: capacity)
        values = Array(repeating: -1, count: capacity)
        slotMask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    @inline(__always)
    private static func key(_ node: Int32, _ scalar: UInt32) -> UInt64 {
        (UInt64(UInt32(bitPattern: node)) << 32) | UInt64(scalar)
    }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Returns the child of `node` on `scalar`, or -1.
    @inline(__always)
    func child(_ node: Int32, _ scalar: UInt32) -> Int32 {
        let key = Self.key(node, scalar)
        var index = slot(for: key)
        return keys.withUnsafeBufferPointer { keyBuffer in
            while true {
                let stored = keyBuffer[index]
                if stored == key { return values.withUnsafeBufferPointer { $0[index] } }
                if stored == Self.emptyKey { return -1 }
                index = (index &+ 1) & slotMask
            }
        }
    }

    /// Inserts an edge that is known to be absent.
    mutating func insert(_ node: Int32, _ scalar: UInt32, child: Int32) {
        let key = Self.key(node, scalar)
        var index = slot(for: key)
        while keys[index] != Self.emptyKey {
            index = (index &+ 1) & slotMask
        }
        keys[index] = key
        values[index] = child
    }
}
