import Testing
@testable import RoutingService

@Suite("PromptTemplate")
struct PromptTemplateTests {
    static let queue = "您前面还有{ahead}人，当前排第{position}位，预计等待{eta}"

    @Test func rendersQueuePrompt() throws {
        let template = try PromptTemplate(Self.queue, allowedVariables: PromptTemplate.queueVariables)
        #expect(template.variables == ["ahead", "position", "eta"])
        #expect(template.renderQueue(position: 3, etaSeconds: 180) == "您前面还有2人，当前排第3位，预计等待约3分钟")
        #expect(template.renderQueue(position: 1, etaSeconds: 0) == "您前面还有0人，当前排第1位，预计等待不到1分钟")
        #expect(template.renderQueue(position: 9, etaSeconds: nil) == "您前面还有8人，当前排第9位，预计等待暂无法预估")
        let english = try PromptTemplate("Position {position}, wait {eta}", allowedVariables: PromptTemplate.queueVariables)
        #expect(english.renderQueue(position: 2, etaSeconds: 3_900, language: .en) == "Position 2, wait about 1 h 5 min")
    }

    @Test func rejectsUnknownVariable() {
        #expect(throws: PromptTemplateError.unknownVariable(name: "name", allowed: ["ahead", "eta", "position"])) {
            try PromptTemplate("您好{name}，请稍候", allowedVariables: PromptTemplate.queueVariables)
        }
        let error = PromptTemplateError.unknownVariable(name: "name", allowed: ["ahead", "eta", "position"])
        #expect(error.description == "unknown variable {name}; allowed: {ahead}, {eta}, {position}")
        #expect(throws: PromptTemplateError.unknownVariable(name: "position", allowed: ["minutes", "remaining"])) {
            try PromptTemplate("{position}", allowedVariables: PromptTemplate.idleWarningVariables)
        }
    }

    @Test func rejectsMalformedBraces() {
        let allowed = PromptTemplate.queueVariables
        #expect(throws: PromptTemplateError.unbalancedBrace(offset: 2)) { try PromptTemplate("您好{ahead", allowedVariables: allowed) }
        #expect(throws: PromptTemplateError.unbalancedBrace(offset: 5)) { try PromptTemplate("ahead}", allowedVariables: allowed) }
        #expect(throws: PromptTemplateError.unbalancedBrace(offset: 0)) { try PromptTemplate("{a{eta}}", allowedVariables: allowed) }
        #expect(throws: PromptTemplateError.emptyVariable(offset: 1)) { try PromptTemplate("x{}", allowedVariables: allowed) }
        #expect(throws: PromptTemplateError.invalidVariableName(name: "a b", offset: 0)) {
            try PromptTemplate("{a b}", allowedVariables: allowed)
        }
        #expect(throws: PromptTemplateError.invalidVariableName(name: "排队", offset: 0)) {
            try PromptTemplate("{排队}", allowedVariables: allowed)
        }
    }

    @Test func supportsEscapedBraces() throws {
        let template = try PromptTemplate("{{ahead}} = {{{ahead}}}, }}{{", allowedVariables: PromptTemplate.queueVariables)
        #expect(template.render(["ahead": .integer(4)]) == "{ahead} = {4}, }{")
        #expect(template.variables == ["ahead"])
        let plain = try PromptTemplate("no variables", allowedVariables: [])
        #expect(plain.render([:]) == "no variables")
        #expect(try PromptTemplate("", allowedVariables: []).render([:]) == "")
    }

    @Test func rendersValueKinds() throws {
        let template = try PromptTemplate("[{minutes}]", allowedVariables: ["minutes"])
        #expect(template.render(["minutes": .integer(5)]) == "[5]")
        #expect(template.render(["minutes": .text("五")]) == "[五]")
        #expect(template.render(["minutes": .duration(seconds: 120)], language: .en) == "[about 2 min]")
        #expect(template.render([:]) == "[]")
        #expect(template.source == "[{minutes}]")
    }

    @Test(arguments: [
        (nil, "暂无法预估", "unknown"), (0, "不到1分钟", "less than 1 min"), (-5, "不到1分钟", "less than 1 min"),
        (59, "不到1分钟", "less than 1 min"), (60, "约1分钟", "about 1 min"), (89, "约1分钟", "about 1 min"),
        (90, "约2分钟", "about 2 min"), (180, "约3分钟", "about 3 min"), (3_599, "约1小时", "about 1 h"),
        (3_900, "约1小时5分钟", "about 1 h 5 min"), (7_200, "约2小时", "about 2 h"),
    ] as [(Int?, String, String)])
    func formatsDurations(seconds: Int?, chinese: String, english: String) {
        #expect(PromptDurationFormatter.format(seconds: seconds) == chinese)
        #expect(PromptDurationFormatter.format(seconds: seconds, language: .en) == english)
    }
}
