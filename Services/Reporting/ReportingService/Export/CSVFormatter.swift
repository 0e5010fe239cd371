/// Turns PostgreSQL's CSV output into the file Kefu ships: an optional UTF-8 byte order mark first, and
/// CRLF record ends as RFC 4180 asks (COPY writes LF). Line breaks inside quoted fields are left as they
/// are. Works chunk by chunk with constant memory, keeping the quote state between chunks; it also counts
/// records (the header included).
public struct CSVFormatter: Sendable {
    /// The UTF-8 byte order mark.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private var pendingBOM: Bool
    private var inQuotes = false
    /// Records ended so far, the header row included.
    public private(set) var records = 0

    /// A formatter that starts its output with a BOM when `bom` is true.
    public init(bom: Bool) {
        pendingBOM = bom
    }

    /// The formatted bytes of the next chunk of COPY output.
    public mutating func format(_ chunk: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(chunk.count + chunk.count / 64 + 3)
        if pendingBOM {
            output.append(contentsOf: Self.byteOrderMark)
            pendingBOM = false
        }
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        var quoted = inQuotes
        var ended = 0
        chunk.withUnsafeBufferPointer { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte == quote {
                    quoted.toggle()
                } else if byte == newline, !quoted {
                    output.append(contentsOf: bytes[start..<index])
                    output.append(carriageReturn)
                    output.append(newline)
                    start = index + 1
                    ended += 1
                }
            }
            output.append(contentsOf: bytes[start..<bytes.count])
        }
        inQuotes = quoted
        records += ended
        return output
    }
}
