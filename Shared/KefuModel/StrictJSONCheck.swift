/// The contract's rules on raw JSON that a typed decoder cannot see: no object may repeat a key (parsers
/// disagree on which value wins, so a connector and Kefu could read different visitors), and no value may be
/// `null` (optional fields are omitted), except inside the free-form `data.params`, `data.result` and
/// `data.settings`.
///
/// The check walks the bytes once. Text that is not well-formed JSON is left to the decoder, which reports
/// it as `not_json`; this check only throws for well-formed JSON that breaks one of the two rules.
enum StrictJSONCheck {
    /// Paths under which `null` is allowed: free-form JSON whose shape belongs to the service reading it.
    static let nullablePrefixes = ["data.params", "data.result", "data.settings"]

    /// Where each member of the root object sits: its name → the bytes of its value (a string with its quotes).
    typealias Members = [String: Range<Int>]

    /// Throws ``ContractError/duplicateKey(_:)`` or ``ContractError/invalidField(_:reason:)`` (for a `null`),
    /// naming the first offending field.
    static func check(_ bytes: [UInt8]) throws(ContractError) {
        _ = try scan(bytes)
    }

    /// Checks like ``check(_:)`` and returns the root object's members when the text is well-formed JSON (UTF-8
    /// validity aside) whose root is an object; nil when it is not, which the decoder then explains.
    static func scan(_ bytes: [UInt8]) throws(ContractError) -> Members? {
        var scanner = Scanner(bytes: bytes)
        do throws(Stop) {
            try scanner.value(nullable: false)
            scanner.skipWhitespace()
            guard scanner.index == bytes.count else { return nil }
        } catch {
            return nil
        }
        if let violation = scanner.violation { throw violation }
        return scanner.isObject ? scanner.members : nil
    }

    /// Why the walk stopped: the text is not well-formed JSON, which the decoder explains.
    enum Stop: Error {
        case malformed
    }

    struct Scanner {
        let bytes: [UInt8]
        var index = 0
        /// The first breach of the contract, reported only when the whole text is well-formed JSON.
        var violation: ContractError?
        /// The root object's members (filled while the root is walked).
        var members: Members = [:]
        /// Whether the root is an object.
        var isObject = false
        /// How many objects and arrays enclose the current position.
        private var depth = 0
        /// The keys and indexes from the root to the current value; its text (``path``) is made only for an error
        /// or when it may be one of ``nullablePrefixes``.
        private var components: [Component] = []
        /// The UTF-8 length of the current value's path text.
        private var pathLength = 0

        /// One step of a path.
        private enum Component {
            case key(String)
            case index(Int)
        }

        /// The current value's path as errors name it: keys joined with dots (``FieldPath/join(_:_:)``), indexes
        /// as `[n]`.
        private var path: String {
            var text = ""
            for component in components {
                switch component {
                case .key(let key): text = FieldPath.join(text, key)
                case .index(let position): text += "[\(position)]"
                }
            }
            return text
        }

        /// The UTF-8 length of ``nullablePrefixes``' members: no other path can be one of them.
        private static let nullableLengths = Set(StrictJSONCheck.nullablePrefixes.map(\.utf8.count))

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func value(nullable: Bool) throws(Stop) {
            skipWhitespace()
            guard index < bytes.count else { throw .malformed }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(nullable: nullable)
            case UInt8(ascii: "["): try array(nullable: nullable)
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "n"):
                try literal("null")
                if !nullable, violation == nil {
                    let path = path
                    violation = .invalidField(path.isEmpty ? "(root)" : path, reason: "must not be null")
                }
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            default: try number()
            }
        }

        private mutating func object(nullable: Bool) throws(Stop) {
            index += 1
            if depth == 0 { isObject = true }
            depth += 1
            defer { depth -= 1 }
            let isRoot = depth == 1
            let parentLength = pathLength
            defer { pathLength = parentLength }
            // Objects are small: their keys are compared in a list, and only a large one gets a set.
            var keys: [String] = []
            var keySet = Set<String>()
            skipWhitespace()
            if peek(UInt8(ascii: "}")) { index += 1; return }
            while true {
                skipWhitespace()
                guard peek(UInt8(ascii: "\"")) else { throw .malformed }
                let key = try string()
                components.append(.key(key))
                defer { components.removeLast() }
                pathLength = parentLength == 0 ? key.utf8.count : parentLength + 1 + key.utf8.count
                let repeated: Bool
                if keys.count < 16 {
                    repeated = keys.contains(key)
                    if !repeated { keys.append(key) }
                } else {
                    if keySet.isEmpty { keySet = Set(keys) }
                    repeated = !keySet.insert(key).inserted
                }
                if repeated, violation == nil { violation = .duplicateKey(path) }
                skipWhitespace()
                guard peek(UInt8(ascii: ":")) else { throw .malformed }
                index += 1
                let childNullable = nullable
                    || (Self.nullableLengths.contains(pathLength) && StrictJSONCheck.nullablePrefixes.contains(path))
                skipWhitespace()
                let start = index
                try value(nullable: childNullable)
                if isRoot { members[key] = start..<index }
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                if peek(UInt8(ascii: "}")) { index += 1; return }
                throw .malformed
            }
        }

        private mutating func array(nullable: Bool) throws(Stop) {
            index += 1
            depth += 1
            defer { depth -= 1 }
            let parentLength = pathLength
            defer { pathLength = parentLength }
            skipWhitespace()
            if peek(UInt8(ascii: "]")) { index += 1; return }
            var position = 0
            while true {
                components.append(.index(position))
                pathLength = parentLength + 2 + Self.digitCount(position)
                defer { components.removeLast() }
                try value(nullable: nullable)
                position += 1
                skipWhitespace()
                if peek(UInt8(ascii: ",")) { index += 1; continue }
                if peek(UInt8(ascii: "]")) { index += 1; return }
                throw .malformed
            }
        }

        /// Reads a key and returns it with its escapes resolved (so `"\u0069d"` and `"id"` are one key); a key
        /// without escapes is taken from the bytes as they are.
        private mutating func string() throws(Stop) -> String {
            let start = index + 1
            try skipString()
            let body = bytes[start..<index - 1]
            guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
            return try Self.unescaped(body)
        }

        /// Moves past a string whose contents do not matter (a value): only its end is looked for.
        private mutating func skipString() throws(Stop) {
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { return }
                if byte < 0x20 { throw .malformed }
                guard byte == UInt8(ascii: "\\") else { continue }
                guard index < bytes.count else { throw .malformed }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    continue
                case UInt8(ascii: "u"):
                    _ = try hex4()
                default: throw .malformed
                }
            }
            throw .malformed
        }

        /// The text of a string body (between its quotes) with its escapes resolved.
        private static func unescaped(_ body: ArraySlice<UInt8>) throws(Stop) -> String {
            var inner = Scanner(bytes: Array(body))
            var scalars = String.UnicodeScalarView()
            var run: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run.removeAll(keepingCapacity: true)
            }
            while inner.index < inner.bytes.count {
                let byte = inner.bytes[inner.index]
                inner.index += 1
                guard byte == UInt8(ascii: "\\") else { run.append(byte); continue }
                flush()
                guard inner.index < inner.bytes.count else { throw .malformed }
                let escape = inner.bytes[inner.index]
                inner.index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): run.append(escape)
                case UInt8(ascii: "b"): run.append(0x08)
                case UInt8(ascii: "f"): run.append(0x0C)
                case UInt8(ascii: "n"): run.append(0x0A)
                case UInt8(ascii: "r"): run.append(0x0D)
                case UInt8(ascii: "t"): run.append(0x09)
                case UInt8(ascii: "u"):
                    var unit = try inner.hex4()
                    if (0xD800..<0xDC00).contains(unit), inner.bytes[safe: inner.index] == UInt8(ascii: "\\"),
                       inner.bytes[safe: inner.index + 1] == UInt8(ascii: "u") {
                        inner.index += 2
                        let low = try inner.hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        }
                    }
                    scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                default: throw .malformed
                }
            }
            flush()
            return String(scalars)
        }

        private mutating func hex4() throws(Stop) -> UInt32 {
            guard index + 4 <= bytes.count else { throw .malformed }
            var value: UInt32 = 0
            for byte in bytes[index..<index + 4] {
                guard let digit = hexDigit(byte) else { throw .malformed }
                value = value << 4 | digit
            }
            index += 4
            return value
        }

        private func hexDigit(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        private mutating func literal(_ word: String) throws(Stop) {
            let expected = Array(word.utf8)
            let count = expected.count
            guard index + count <= bytes.count, bytes[index..<index + count].elementsEqual(expected) else { throw .malformed }
            index += count
        }

        /// A number as JSON writes it: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        private mutating func number() throws(Stop) {
            if peek(UInt8(ascii: "-")) { index += 1 }
            if peek(UInt8(ascii: "0")) {
                index += 1
            } else {
                guard let first = bytes[safe: index], (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else { throw .malformed }
                skipDigits()
            }
            if peek(UInt8(ascii: ".")) {
                index += 1
                guard skipDigits() > 0 else { throw .malformed }
            }
            if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
                index += 1
                if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
                guard skipDigits() > 0 else { throw .malformed }
            }
        }

        @discardableResult
        private mutating func skipDigits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }

        private func peek(_ byte: UInt8) -> Bool {
            index < bytes.count && bytes[index] == byte
        }

        /// How many decimal digits `value` (≥ 0) has.
        private static func digitCount(_ value: Int) -> Int {
            var count = 1
            var rest = value
            while rest >= 10 { rest /= 10; count += 1 }
            return count
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }
    }
}

extension Array {
    fileprivate subscript(safe position: Int) -> Element? {
        indices.contains(position) ? self[position] : nil
    }
}
