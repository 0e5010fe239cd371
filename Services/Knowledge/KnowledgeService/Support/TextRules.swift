/// The length and content rules of what knowledge stores (documented in `Services/Knowledge/README.md`).
enum TextRules {
    /// Standard and similar questions: 1–200 characters.
    static let maxQuestion = 200
    /// Similar questions per entry.
    static let maxSimilar = 50
    /// Answers: 1–5,000 characters (the contract's text limit, so a bot answer always fits).
    static let maxAnswer = 5_000
    /// Category names (knowledge base and quick replies): 1–32 characters.
    static let maxCategoryName = 32
    /// Quick-reply keywords: 1–20 characters.
    static let maxKeyword = 20
    /// Quick-reply content: 1–2,000 characters.
    static let maxContent = 2_000
    /// Texts searched for (`kb.test`, `assist.suggest`, `q`): at most 5,000 characters.
    static let maxQuery = 5_000

    /// Trims surrounding whitespace and checks 1…`max` characters (Unicode scalars, as the contract counts)
    /// and no control characters other than tab and line breaks (`multiline`) or none at all.
    static func text(_ value: String, field: String, max: Int, multiline: Bool) throws -> String {
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw Refusal(.invalidParams, "`\(field)` must not be empty") }
        let count = trimmed.unicodeScalars.count
        guard count <= max else {
            throw Refusal(.invalidParams, "`\(field)` must be at most \(max) characters, got \(count)")
        }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        if let bad = trimmed.unicodeScalars.first(where: { $0.properties.generalCategory == .control && !allowed.contains($0) }) {
            throw Refusal(.invalidParams, "`\(field)` contains the control character U+\(String(bad.value, radix: 16, uppercase: true))")
        }
        return trimmed
    }
}

extension String {
    /// The string without leading and trailing whitespace (including full-width spaces).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
