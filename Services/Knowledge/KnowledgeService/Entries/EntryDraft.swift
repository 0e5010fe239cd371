import Foundation

/// A checked knowledge-base entry about to be written: trimmed texts within the limits of ``TextRules``,
/// similar questions without duplicates (nor copies of the standard question).
struct EntryDraft: Sendable, Equatable {
    var question: String
    var similar: [String]
    var answer: String
    var imageID: UUID?
    /// The category's name; nil for none.
    var category: String?
    var enabled: Bool

    /// Checks and normalises the fields; throws a ``Refusal`` with `invalid_params` naming the field.
    init(question: String, similar: [String], answer: String, imageID: UUID?, category: String?, enabled: Bool) throws {
        self.question = try TextRules.text(question, field: "question", max: TextRules.maxQuestion, multiline: false)
        var seen: Set<String> = [self.question.lowercased()]
        var kept: [String] = []
        for (index, text) in similar.enumerated() {
            let checked = try TextRules.text(text, field: "similar[\(index)]", max: TextRules.maxQuestion, multiline: false)
            guard !checked.contains("|") else {
                throw Refusal(.invalidParams, "`similar[\(index)]` must not contain '|' (it separates similar questions in CSV files)")
            }
            if seen.insert(checked.lowercased()).inserted { kept.append(checked) }
        }
        guard kept.count <= TextRules.maxSimilar else {
            throw Refusal(.invalidParams, "an entry may have at most \(TextRules.maxSimilar) similar questions, got \(kept.count)")
        }
        self.similar = kept
        self.answer = try TextRules.text(answer, field: "answer", max: TextRules.maxAnswer, multiline: true)
        self.imageID = imageID
        if let category, !category.trimmingWhitespace().isEmpty {
            self.category = try TextRules.text(category, field: "category", max: TextRules.maxCategoryName, multiline: false)
        } else {
            self.category = nil
        }
        self.enabled = enabled
    }

    /// The draft of an existing entry, to apply a partial update to.
    init(_ record: EntryRecord) {
        question = record.question
        similar = record.similar
        answer = record.answer
        imageID = record.imageID
        category = record.category
        enabled = record.enabled
    }
}
