/// How entries are spread over partitioned streams: the partition key of an envelope and its stable hash.
///
/// An entry's key is its `session_id`, or its `visitor_id` when it has no session yet (the first occurrence of
/// the key anywhere in the JSON envelope, which every entry type carries in `data`). Entries with neither go to
/// partition 0, so their relative order is kept as with one stream. The partition is
/// `crc32(key) mod P` (CRC-32 as in zlib, over the key's UTF-8 bytes), the same in every language:
/// `zlib.crc32(key.encode()) % P` in Python.
public enum StreamPartitions {
    /// The largest partition count accepted.
    public static let maximumCount = 1_024

    /// The partition of an entry whose envelope is `envelope` among `count` partitions.
    public static func index(ofEnvelope envelope: some Collection<UInt8>, count: Int) -> Int {
        guard count > 1 else { return 0 }
        guard let key = key(ofEnvelope: Array(envelope)) else { return 0 }
        return index(ofKey: key, count: count)
    }

    /// The partition of `key` among `count` partitions: `crc32(key) mod count`.
    public static func index(ofKey key: some Collection<UInt8>, count: Int) -> Int {
        guard count > 1 else { return 0 }
        return Int(crc32(key) % UInt32(count))
    }

    /// The partition of the text `key` (a session or visitor id) among `count` partitions.
    public static func index(ofKey key: String, count: Int) -> Int {
        index(ofKey: Array(key.utf8), count: count)
    }

    /// The value of the first `"session_id"` string field in `envelope`, else of the first `"visitor_id"`.
    public static func key(ofEnvelope envelope: [UInt8]) -> ArraySlice<UInt8>? {
        envelope.withUnsafeBufferPointer { buffer in
            if let range = stringValue(of: sessionField, in: buffer) ?? stringValue(of: visitorField, in: buffer) {
                return envelope[range]
            }
            return nil
        }
    }

    private static let sessionField = Array("\"session_id\"".utf8)
    private static let visitorField = Array("\"visitor_id\"".utf8)

    /// The byte range of the string value of the first member named `field` (quotes included in `field`).
    private static func stringValue(of field: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let count = bytes.count
        let first = field[0]
        var index = 0
        while index + field.count < count {
            if bytes[index] == first, matches(field, in: bytes, at: index) {
                var cursor = index + field.count
                while cursor < count, isSpace(bytes[cursor]) { cursor += 1 }
                if cursor < count, bytes[cursor] == UInt8(ascii: ":") {
                    cursor += 1
                    while cursor < count, isSpace(bytes[cursor]) { cursor += 1 }
                    if cursor < count, bytes[cursor] == UInt8(ascii: "\"") {
                        let start = cursor + 1
                        var end = start
                        while end < count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                        if end < count, end > start { return start..<end }
                    }
                }
                index += field.count
            } else {
                index += 1
            }
        }
        return nil
    }

    private static func matches(_ field: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        for offset in 1..<field.count where bytes[index + offset] != field[offset] { return false }
        return true
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// CRC-32 (IEEE 802.3, reflected, as zlib's `crc32`).
    public static func crc32(_ bytes: some Collection<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let table: [UInt32] = (0..<256).map { value in
        var crc = UInt32(value)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }
}
