import KefuModel
import Testing

@Suite("Field rules")
struct FieldRulesTests {
    @Test("channel names", arguments: [("web", true), ("wechat", true), ("app-ios_2", true), ("9", true),
                                       ("Web", false), ("_web", false), ("", false), ("web.cn", false), ("微信", false)])
    func channel(name: String, valid: Bool) {
        #expect(((try? FieldRules.channel(name)) != nil) == valid)
    }

    @Test("channel length limit is 64")
    func channelLength() {
        #expect((try? FieldRules.channel(String(repeating: "a", count: 64))) != nil)
        #expect((try? FieldRules.channel(String(repeating: "a", count: 65))) == nil)
    }

    @Test("tokens are 1-128 printable ASCII without spaces")
    func tokens() {
        #expect((try? FieldRules.token("o6_bmjrPTlm6_2sgVt7hMZOPfL2M", field: "visitor_id")) != nil)
        #expect((try? FieldRules.token("a@b.c:1/2", field: "visitor_id")) != nil)
        #expect((try? FieldRules.token("", field: "visitor_id")) == nil)
        #expect((try? FieldRules.token("a b", field: "visitor_id")) == nil)
        #expect((try? FieldRules.token("访客", field: "visitor_id")) == nil)
        #expect((try? FieldRules.token(String(repeating: "x", count: 129), field: "visitor_id")) == nil)
    }

    @Test("text counts Unicode scalars like JSON Schema")
    func textCounting() {
        let flag = "🇨🇳"  // one Character, two scalars
        #expect((try? FieldRules.text(String(repeating: flag, count: 2500), field: "text")) != nil)
        #expect((try? FieldRules.text(String(repeating: flag, count: 2500) + "a", field: "text")) == nil)
    }

    @Test("stars", arguments: [(1, true), (5, true), (0, false), (6, false)])
    func stars(value: Int, valid: Bool) {
        #expect(((try? FieldRules.stars(value)) != nil) == valid)
    }

    @Test("phone and e-mail")
    func contact() {
        #expect((try? FieldRules.phone("+86 138-0000-0000")) != nil)
        #expect((try? FieldRules.phone("(010) 6552 9988")) != nil)
        #expect((try? FieldRules.phone("1234")) == nil)
        #expect((try? FieldRules.phone("call me")) == nil)
        #expect((try? FieldRules.email("li@example.com")) != nil)
        #expect((try? FieldRules.email("li@@example.com")) == nil)
        #expect((try? FieldRules.email("li example.com")) == nil)
    }

    @Test("image URLs")
    func imageURLs() {
        #expect((try? FieldRules.imageURL("https://cdn.example.com/a%20b.png", field: "url")) != nil)
        #expect((try? FieldRules.imageURL("ftp://x/y.png", field: "url")) == nil)
        #expect((try? FieldRules.imageURL("https://", field: "url")) == nil)
        #expect((try? FieldRules.imageURL("https://x/a b.png", field: "url")) == nil)
    }

    @Test("attributes")
    func attributes() {
        #expect((try? FieldRules.attributes(["name": "王先生", "page_url": "https://x/"])) != nil)
        #expect((try? FieldRules.attributes(["Name": "x"])) == nil)
        #expect((try? FieldRules.attributes(Dictionary(uniqueKeysWithValues: (0..<33).map { ("k\($0)", "v") }))) == nil)
    }
}

@Suite("Payload rules")
struct PayloadRuleTests {
    let session = Samples.session
    let agent = Samples.agent

    @Test("leave-a-message needs a phone or an e-mail")
    func leaveMessageContact() {
        let payload = VisitorLeaveMessage(channel: "web", visitorID: "v", problemDescription: "help")
        #expect(throws: ContractError.invalidField("phone", reason: "at least one of `phone` and `email` is required")) {
            try payload.validate()
        }
    }

    @Test("leave-a-message takes at most 3 images")
    func leaveMessageImages() throws {
        let images = Array(repeating: ImageRef(.url("https://x.example/a.png")), count: 4)
        let payload = VisitorLeaveMessage(channel: "web", visitorID: "v", problemDescription: "help", email: "a@b.c", images: images)
        #expect(throws: ContractError.invalidField("images", reason: "must have at most 3 items, got 4")) { try payload.validate() }
        let three = VisitorLeaveMessage(
            channel: "web", visitorID: "v", problemDescription: "help", email: "a@b.c", images: Array(images.prefix(3)))
        try three.validate()
    }

    @Test("agent messages name the agent, other senders do not")
    func messageSender() {
        let byAgent = MessageAccepted(sessionID: session, seq: 1, channel: "web", visitorID: "v", sender: .agent, content: .text("hi"))
        #expect(throws: ContractError.missingField("agent_id")) { try byAgent.validate() }
        let byBot = MessageAccepted(sessionID: session, seq: 1, channel: "web", visitorID: "v", sender: .bot, agentID: agent, content: .text("hi"))
        #expect(throws: ContractError.self) { try byBot.validate() }
    }

    @Test("seq starts at 1")
    func seqStartsAtOne() {
        let message = MessageAccepted(sessionID: session, seq: 0, channel: "web", visitorID: "v", sender: .bot, content: .text("hi"))
        #expect(throws: ContractError.self) { try message.validate() }
    }

    @Test("an agent ending needs agent_id; ratings only for human sessions")
    func sessionEnded() {
        let noAgent = SessionEnded(sessionID: session, seq: 9, channel: "web", visitorID: "v", reason: .agent, human: true, ratingInvited: false)
        #expect(throws: ContractError.missingField("agent_id")) { try noAgent.validate() }
        let botOnly = SessionEnded(sessionID: session, seq: 9, channel: "web", visitorID: "v", reason: .idleTimeout, human: false, ratingInvited: true)
        #expect(throws: ContractError.self) { try botOnly.validate() }
    }

    @Test("bot answers carry text exactly when answered")
    func botAnswer() {
        #expect(throws: ContractError.missingField("text")) {
            try BotAnswer(sessionID: session, questionSeq: 1, answered: true).validate()
        }
        #expect(throws: ContractError.self) {
            try BotAnswer(sessionID: session, questionSeq: 1, answered: false, text: "x").validate()
        }
        #expect(throws: ContractError.self) {
            try BotAnswer(sessionID: session, questionSeq: 1, answered: false, score: -1).validate()
        }
    }

    @Test("transfers go to another agent")
    func transfer() {
        #expect(throws: ContractError.self) {
            try AgentTransfer(sessionID: session, agentID: agent, toAgentID: agent).validate()
        }
    }

    @Test("image refs need exactly one location")
    func imageRef() throws {
        let bytes = Samples.visitorMessageEntry { _, data in
            data["text"] = nil
            data["image"] = ["image_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "url": "https://x/y.png"]
        }
        #expect(throws: ContractError.invalidField("data.image", reason: "must have exactly one of `image_id` and `url`")) {
            try EnvelopeCodec.decode(bytes, as: VisitorMessage.self)
        }
    }
}
