import Foundation

/// Finds the asking part of a long visitor message.
///
/// The message is cut into clauses at sentence and clause punctuation. A clause that is only a greeting,
/// thanks or an apology (你好, 在吗, 麻烦问一下, 谢谢…) is dropped; a clause with a question cue (a question
/// mark, 吗, 怎么, 能不能, 多久, 想问…) keeps its full weight; the story around it keeps `storyWeight`.
/// A message without any cue keeps every non-greeting clause at full weight.
public enum KnowledgeQuestionFocus {
    /// Clauses of `text` with their weights (0…1); one clause of weight 1 for short messages.
    public static func clauses(of text: String, minimumLength: Int, storyWeight: Double) -> [(String, Double)] {
        guard text.count >= minimumLength else { return [(text, 1)] }
        var pieces: [(text: String, asks: Bool)] = []
        var current = ""
        for character in text {
            if delimiters.contains(character) {
                let asks = character == "?" || character == "？"
                append(current, asks: asks, to: &pieces)
                current = ""
            } else {
                current.append(character)
            }
        }
        append(current, asks: false, to: &pieces)
        let content = pieces.filter { !isGreeting($0.text) }
        guard !content.isEmpty else { return [(text, 1)] }
        guard content.contains(where: \.asks) else { return content.map { ($0.text, 1) } }
        return content.map { ($0.text, $0.asks ? 1 : storyWeight) }
    }

    private static func append(_ clause: String, asks: Bool, to pieces: inout [(text: String, asks: Bool)]) {
        let trimmed = clause.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            if asks, let last = pieces.indices.last { pieces[last].asks = true }
            return
        }
        pieces.append((trimmed, asks || cues.contains { trimmed.contains($0) }))
    }

    /// True when nothing is left of `clause` once greeting phrases and particles are removed.
    static func isGreeting(_ clause: String) -> Bool {
        var rest: String
        if let plain = plainScalars(of: clause) {
            rest = String(String.UnicodeScalarView(removingGreetings(from: plain)))
        } else {
            rest = clause.lowercased()
            for phrase in greetings {
                rest = rest.replacingOccurrences(of: phrase, with: "")
            }
        }
        return rest.allSatisfy { !$0.isLetter && !$0.isNumber || fillers.contains($0) }
    }

    /// The clause lower-cased as scalars when it holds only ASCII and CJK unified ideographs (U+4E00–U+9FFF):
    /// scalars without canonical equivalents, each its own character (but CR LF), so removing the phrases scalar
    /// by scalar gives what Foundation's `replacingOccurrences` gives, without its cost. Nil for any other text.
    private static func plainScalars(of clause: String) -> [Unicode.Scalar]? {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(clause.utf8.count)
        for scalar in clause.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A: scalars.append(Unicode.Scalar(scalar.value + 0x20)!)
            case 0x00...0x7F, 0x4E00...0x9FFF: scalars.append(scalar)
            default: return nil
            }
        }
        return scalars
    }

    /// Removes every greeting phrase in turn, each pass left to right without overlaps (as `replacingOccurrences`).
    private static func removingGreetings(from text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var rest = text
        for phrase in greetingScalars where phrase.count <= rest.count {
            var kept: [Unicode.Scalar] = []
            kept.reserveCapacity(rest.count)
            var index = 0
            while index < rest.count {
                if rest[index] == phrase[0], index + phrase.count <= rest.count, rest[index..<(index + phrase.count)].elementsEqual(phrase) {
                    index += phrase.count
                } else {
                    kept.append(rest[index])
                    index += 1
                }
            }
            rest = kept
        }
        return rest
    }

    private static let greetingScalars: [[Unicode.Scalar]] = greetings.map { Array($0.unicodeScalars) }

    private static let delimiters: Set<Character> = [
        "。", "！", "？", "!", "?", "；", ";", "，", ",", "\n", "…", "~", "～", "、",
    ]
    private static let cues = [
        "吗", "么", "怎", "如何", "能不能", "能否", "可不可以", "可以", "是不是", "有没有", "为什么", "为啥", "多久",
        "多少", "多长", "哪", "什么", "啥", "是否", "几天", "想问", "咨询", "想知道", "请问", "求助", "帮我", "呢",
    ]
    private static let greetings = [
        "你好", "您好", "哈喽", "嗨", "在吗", "在不在", "有人吗", "客服", "亲", "打扰一下", "打扰了", "不好意思",
        "麻烦", "谢谢", "多谢", "感谢", "辛苦", "hello", "hi", "急", "着急", "很急", "我想问一下", "问一下", "请问",
    ]
    private static let fillers: Set<Character> = ["啊", "呀", "哦", "呢", "吧", "了", "的", "哈", "嗯", "额", "呃", "你", "您", "们", "下", "很", "非", "常"]
}
