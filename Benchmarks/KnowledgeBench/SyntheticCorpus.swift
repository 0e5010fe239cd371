import KnowledgeService

/// A large synthetic Chinese customer-service knowledge base and visitor queries (deterministic per seed).
/// Product names drawn from common characters make the vocabulary grow like a real catalogue's.
struct SyntheticCorpus {
    static let subjects = ["订单", "快递", "包裹", "退款", "退货", "换货", "发票", "会员", "积分", "优惠券", "账号", "密码",
                           "手机号", "验证码", "地址", "运费", "物流", "售后", "保修", "维修", "门店", "礼品卡", "余额", "花呗",
                           "银行卡", "商品", "尺码", "颜色", "赠品", "配件", "安装", "预售", "定金", "尾款", "评价", "客服"]
    static let actions = ["取消", "修改", "查询", "申请", "撤销", "退回", "更换", "补发", "开具", "绑定", "解绑", "使用",
                          "领取", "兑换", "删除", "确认", "催促", "延长", "支付", "提现", "预约", "投诉", "退订", "升级"]
    static let askings = ["怎么办", "怎么操作", "在哪里", "可以吗", "需要多久", "有什么规定", "是什么原因", "要收费吗",
                          "能不能", "为什么不行", "多少钱", "什么时候"]
    static let openers = ["", "", "请问", "我想问一下", "你好", "麻烦问下", "我的", "刚买的"]
    static let nameCharacters = Array("星云悦享智选优品家居数码美妆母婴服饰鞋包食品生鲜酒水宠物运动户外图书文具玩具汽车家电厨具灯饰床品收纳清洁个护彩妆香水手表眼镜箱包珠宝茶叶咖啡零食粮油乳品果蔬海鲜肉禽烘焙冷饮春夏秋冬东南西北金木火土山川河湖风雨雷电花草树林竹松梅兰菊桃李杏梨枣橙柚莓瓜豆米麦谷糖盐醋酱椒蒜姜葱韭芹菠萝蔓越桑椹榴莲芒杨柳枫桂荷莲蓝绿红黄紫白黑灰银铜铁锦绣丝绒棉麻皮革羊牛马鹿熊猫狮虎鹰鹤燕雀鱼虾蟹贝珍珠玉石晶钻光影声音乐舞画诗书琴棋剑刀弓箭盾甲冠帽衫裙裤袜靴履伞扇镜梳枕被毯垫帘窗门墙瓦砖壶杯碗盘碟勺筷锅铲炉灶冰箱柜架桌椅凳床沙发灯泡线缆插座开关电池充器耳机音箱屏幕键盘鼠标相机镜头支架背包钱夹腰带围巾手套口罩")

    /// One generated entry.
    struct Entry {
        var question: String
        var similar: [String]
        var answer: String
    }

    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// `count` entries with `similarPerEntry` similar questions each and a ~60-character answer.
    mutating func entries(count: Int, similarPerEntry: Int) -> [Entry] {
        (0..<count).map { number in
            let product = productName()
            let subject = pick(Self.subjects)
            let action = pick(Self.actions)
            let question = "\(product)\(subject)\(action)\(pick(Self.askings))#\(number)"
            let similar = (0..<similarPerEntry).map { _ in
                "\(pick(Self.openers))\(product)的\(pick([subject, pick(Self.subjects)]))\(pick([action, pick(Self.actions)]))\(pick(Self.askings))"
            }
            let answer = "您好，关于\(product)的\(subject)\(action)：请在“我的订单”中找到对应商品，按页面提示操作，一般 1-3 个工作日内处理完毕，如有疑问请联系人工客服。"
            return Entry(question: question, similar: similar, answer: answer)
        }
    }

    /// Visitor-like queries: a question of a random entry, sometimes missing a character, with openers and noise.
    mutating func queries(count: Int, from entries: [Entry]) -> [String] {
        (0..<count).map { _ in
            let entry = entries[Int.random(in: 0..<entries.count, using: &random)]
            var characters = Array(pick([entry.question.split(separator: "#").first.map(String.init) ?? entry.question] + entry.similar))
            if characters.count > 4, Bool.random(using: &random) {
                characters.remove(at: Int.random(in: 0..<characters.count, using: &random))
            }
            return pick(Self.openers) + String(characters) + pick(["", "？", "啊", "!!"])
        }
    }

    private mutating func productName() -> String {
        String((0..<Int.random(in: 2...4, using: &random)).map { _ in pick(Self.nameCharacters) })
    }

    private mutating func pick<T>(_ values: [T]) -> T {
        values[Int.random(in: 0..<values.count, using: &random)]
    }
}

/// Deterministic SplitMix64, so every run indexes the same corpus.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
