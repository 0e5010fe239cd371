/// A validated prompt with `{variable}` placeholders, e.g.
/// `"您前面还有{ahead}人，当前排第{position}位，预计等待{eta}"`.
///
/// `{{` and `}}` produce literal braces. The set of allowed variables is chosen by the
/// caller, so the same type serves the queue prompt, the idle warning (`{minutes}`), etc.
public struct PromptTemplate: Sendable, Hashable {
    /// Variables of the queue prompt.
    public static let queueVariables: Set<String> = ["position", "ahead", "eta"]
    /// Variables of the idle-warning prompt: `{remaining}` (the exact time left, e.g. "30秒") and `{minutes}`.
    public static let idleWarningVariables: Set<String> = ["minutes", "remaining"]

    /// A value substituted into a placeholder.
    public enum Value: Sendable, Hashable {
        /// Plain text, inserted as is.
        case text(String)
        /// An integer, rendered in decimal.
        case integer(Int)
        /// A waiting time in seconds, rendered by `PromptDurationFormatter` (`nil` = unknown).
        case duration(seconds: Int?)
    }

    private enum Segment: Sendable, Hashable {
        case literal(String)
        case variable(String)
    }

    /// The template text as written.
    public let source: String
    private let segments: [Segment]

    /// Parses `source`, accepting only placeholders named in `allowedVariables`.
    public init(_ source: String, allowedVariables: Set<String>) throws(PromptTemplateError) {
        var segments: [Segment] = []
        var literal = ""
        let characters = Array(source)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            if character == "{" && next == "{" || character == "}" && next == "}" {
                literal.append(character)
                index += 2
                continue
            }
            if character == "}" { throw .unbalancedBrace(offset: index) }
            guard character == "{" else {
                literal.append(character)
                index += 1
                continue
            }
            guard let close = characters[(index + 1)...].firstIndex(where: { $0 == "}" || $0 == "{" }),
                  characters[close] == "}" else { throw .unbalancedBrace(offset: index) }
            let name = String(characters[(index + 1)..<close])
            guard !name.isEmpty else { throw .emptyVariable(offset: index) }
            guard Self.isIdentifier(name) else { throw .invalidVariableName(name: name, offset: index) }
            guard allowedVariables.contains(name) else {
                throw .unknownVariable(name: name, allowed: allowedVariables.sorted())
            }
            if !literal.isEmpty { segments.append(.literal(literal)) }
            literal = ""
            segments.append(.variable(name))
            index = close + 1
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.source = source
        self.segments = segments
    }

    /// Variable names used by the template, in order of first appearance.
    public var variables: [String] {
        var seen: Set<String> = []
        return segments.compactMap { segment in
            guard case let .variable(name) = segment, seen.insert(name).inserted else { return nil }
            return name
        }
    }

    /// Renders the template; placeholders without a value render as empty text.
    public func render(_ values: [String: Value], language: PromptLanguage = .zh) -> String {
        var result = ""
        for segment in segments {
            switch segment {
            case let .literal(text):
                result += text
            case let .variable(name):
                switch values[name] {
                case let .text(text): result += text
                case let .integer(number): result += String(number)
                case let .duration(seconds): result += PromptDurationFormatter.format(seconds: seconds, language: language)
                case nil: break
                }
            }
        }
        return result
    }

    /// Renders a queue prompt: `{position}` (1-based), `{ahead}` (= position − 1, at least 0)
    /// and `{eta}` (waiting seconds, `nil` if unknown).
    public func renderQueue(position: Int, etaSeconds: Int?, language: PromptLanguage = .zh) -> String {
        render([
            "position": .integer(position),
            "ahead": .integer(max(position - 1, 0)),
            "eta": .duration(seconds: etaSeconds),
        ], language: language)
    }

    private static func isIdentifier(_ name: String) -> Bool {
        name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
    }
}
