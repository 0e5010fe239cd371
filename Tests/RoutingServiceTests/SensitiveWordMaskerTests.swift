import Testing
@testable import RoutingService

@Suite("SensitiveWordMasker")
struct SensitiveWordMaskerTests {
    @Test func masksChineseWords() {
        let masker = SensitiveWordMasker(words: ["坏人", "骗子"])
        #expect(masker.mask("你是坏人吗？骗子！") == "你是**吗？**！")
        #expect(masker.mask("坏人坏人好人坏人") == "****好人**")
        #expect(masker.mask("坏") == "坏")
    }

    @Test func masksOverlappingAndNestedWords() {
        #expect(SensitiveWordMasker(words: ["abc", "bcd"]).mask("abcd") == "****")
        #expect(SensitiveWordMasker(words: ["坏人", "人渣"]).mask("坏人渣") == "***")
        #expect(SensitiveWordMasker(words: ["abcde", "bc"]).mask("xabcdey") == "x*****y")
        #expect(SensitiveWordMasker(words: ["b", "abcde"]).mask("abcdabcde") == "a*cd*****")
        #expect(SensitiveWordMasker(words: ["aa"]).mask("aaa") == "***")
        #expect(SensitiveWordMasker(words: ["she", "he", "hers"]).mask("ushers") == "u*****")
    }

    @Test func ignoresLatinCaseAndWidth() {
        let masker = SensitiveWordMasker(words: ["Shit"])
        #expect(masker.mask("Hello SHIT World") == "Hello **** World")
        #expect(masker.mask("ｓｈｉｔ") == "****")
        #expect(masker.mask("ＳＨＩＴ!") == "****!")
        #expect(masker.mask("ShIt happens, HELLO") == "**** happens, HELLO")
        #expect(SensitiveWordMasker(words: ["ＡＢＣ"]).mask("xAbCx") == "x***x")
        #expect(SensitiveWordMasker(words: ["école"]).mask("ÉCOLE ok") == "***** ok")
        #expect(SensitiveWordMasker(words: ["привет"]).mask("ПРИВЕТ") == "******")
    }

    @Test func keepsGraphemesWhole() {
        let masker = SensitiveWordMasker(words: ["坏人", "😀"])
        #expect(masker.mask("😀坏人👨‍👩‍👧") == "***👨‍👩‍👧")
        #expect(SensitiveWordMasker(words: ["👨"]).mask("a👨‍👩‍👧b") == "a*b")
        #expect(SensitiveWordMasker(words: ["e"]).mask("cafe\u{301}") == "caf*")
        #expect(SensitiveWordMasker(words: ["\u{1F1E8}"]).mask("🇨🇳!") == "*!")
        #expect(SensitiveWordMasker(words: ["坏人"]).mask("坏人\u{301}x") == "**x")
        #expect(SensitiveWordMasker(words: ["\u{301}"]).mask("cafe\u{301}s") == "caf*s")
    }

    @Test func respectsRegionalIndicatorPairs() {
        let flags = "🇨🇳🇺🇸🇯🇵🇫🇷"
        #expect(SensitiveWordMasker(words: ["\u{1F1FA}"]).mask(flags) == "🇨🇳*🇯🇵🇫🇷")
        #expect(SensitiveWordMasker(words: ["\u{1F1F8}\u{1F1EF}"]).mask(flags) == "🇨🇳**🇫🇷")
        #expect(SensitiveWordMasker(words: ["\u{1F1F7}"]).mask("x" + flags) == "x🇨🇳🇺🇸🇯🇵*")
    }

    @Test func ignoresEmptyAndDuplicateWords() {
        let empty = SensitiveWordMasker(words: ["", "  ", "\n", "　"])
        #expect(empty.isEmpty)
        #expect(empty.mask("anything 坏人") == "anything 坏人")
        #expect(!empty.containsMatch("anything"))
        let masker = SensitiveWordMasker(words: ["坏人", "坏人", " 坏人 ", "BAD", "bad"])
        #expect(masker.wordCount == 2)
        #expect(masker.mask("坏人 bad") == "** ***")
    }

    @Test func containsMatch() {
        let masker = SensitiveWordMasker(words: ["人渣", "spam"])
        #expect(masker.containsMatch("你这个人渣"))
        #expect(masker.containsMatch("SPAM"))
        #expect(!masker.containsMatch("人 渣"))
        #expect(!masker.containsMatch(""))
    }

    @Test func handlesEdgeInputs() {
        let masker = SensitiveWordMasker(words: ["坏人"])
        #expect(masker.mask("") == "")
        #expect(masker.mask("好人") == "好人")
        #expect(masker.mask("坏人", replacement: "＊") == "＊＊")
        let long = String(repeating: "长", count: 120)
        #expect(SensitiveWordMasker(words: [long]).mask("a" + long + "b") == "a" + String(repeating: "*", count: 120) + "b")
    }

    @Test func worksWithLargeWordList() {
        var words = (0..<10_000).map { "词\($0)语" }
        words.append("目标")
        let masker = SensitiveWordMasker(words: words)
        #expect(masker.wordCount == 10_001)
        #expect(masker.mask("这是目标，词42语和词9999语") == "这是**，****和******")
    }

    @Test func matchesNaiveImplementationOnRandomInput() {
        var rng = MaskerTestRandom(seed: 7)
        let alphabet: [String] = [
            "a", "b", "A", "ａ", "坏", "人", "e\u{301}", "\u{301}", "👨‍👩‍👧", "👨", "\u{200D}", "😀", " ",
            "🇨🇳", "🇺🇸", "\u{1F1E8}", "\u{1F1F3}", "\r\n", "\r", "\n", "👍🏽", "🏽", "❤️", "\u{FE0F}",
            "\u{1100}\u{1161}", "\u{1161}", "ก\u{0E33}",
        ]
        for _ in 0..<2_000 {
            let words = (0..<Int.random(in: 1...5, using: &rng)).map { _ in
                (0..<Int.random(in: 1...3, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            }
            let text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            let masker = SensitiveWordMasker(words: words)
            #expect(masker.mask(text) == naiveMask(text, words: words), "words: \(words), text: \(text)")
            #expect(masker.containsMatch(text) == naiveMask(text, words: words).contains("*"))
        }
    }

    private func naiveMask(_ text: String, words: [String]) -> String {
        let scalars = RoutingTextFolding.foldedScalars(text)
        var covered = Array(repeating: false, count: scalars.count)
        for word in words {
            let pattern = RoutingTextFolding.foldedScalars(word.trimmingWhitespaceForRouting())
            guard !pattern.isEmpty, pattern.count <= scalars.count else { continue }
            for start in 0...(scalars.count - pattern.count) where Array(scalars[start..<(start + pattern.count)]) == pattern {
                for index in start..<(start + pattern.count) { covered[index] = true }
            }
        }
        var result = ""
        var position = 0
        for character in text {
            let count = character.unicodeScalars.count
            result += covered[position..<(position + count)].contains(true) ? "*" : String(character)
            position += count
        }
        return result
    }
}

/// Deterministic SplitMix64 generator for reproducible tests.
struct MaskerTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
