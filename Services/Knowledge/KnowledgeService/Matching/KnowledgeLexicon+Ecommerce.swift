extension KnowledgeLexicon {
    /// A general Chinese e-commerce lexicon: common variant spellings and colloquialisms, plus
    /// English shop vocabulary that visitors mix into Chinese questions.
    public static let ecommerce = KnowledgeLexicon(
        spellingVariants: [
            SpellingVariant("帐号", "账号"),
            SpellingVariant("帐户", "账户"),
            SpellingVariant("到帐", "到账"),
            SpellingVariant("登陆", "登录"),
            SpellingVariant("优惠卷", "优惠券"),
            SpellingVariant("代金卷", "代金券"),
            SpellingVariant("其它", "其他"),
            SpellingVariant("咋", "怎么"),
            SpellingVariant("啥", "什么"),
            SpellingVariant("神马", "什么"),
            SpellingVariant("木有", "没有"),
        ],
        glossary: [
            "order": "订单", "orders": "订单", "cancel": "取消", "refund": "退款",
            "return": "退货", "exchange": "换货", "invoice": "发票", "receipt": "发票",
            "vat": "增值税", "tax": "税", "ship": "发货", "shipping": "发货", "delivery": "配送",
            "deliver": "配送", "track": "物流", "tracking": "物流", "logistics": "物流",
            "express": "快递", "courier": "快递", "package": "包裹", "parcel": "包裹",
            "address": "地址", "pay": "支付", "payment": "支付", "paid": "支付",
            "coupon": "优惠券", "voucher": "优惠券", "discount": "优惠", "promo": "优惠",
            "member": "会员", "membership": "会员", "vip": "会员", "points": "积分", "point": "积分",
            "level": "等级", "upgrade": "升级", "birthday": "生日", "password": "密码",
            "account": "账号", "login": "登录", "register": "注册", "signup": "注册",
            "code": "验证码", "sms": "短信", "email": "邮箱", "phone": "手机", "mobile": "手机",
            "lock": "锁定", "locked": "锁定", "stolen": "被盗", "hacked": "被盗", "delete": "删除",
            "privacy": "隐私", "warranty": "保修", "repair": "维修", "fix": "维修",
            "broken": "坏了", "defect": "质量问题", "defective": "质量问题", "quality": "质量",
            "damaged": "破损", "wrong": "错", "missing": "漏发", "lost": "丢失",
            "install": "安装", "installation": "安装", "store": "门店", "shop": "店铺",
            "product": "商品", "item": "商品", "size": "尺码", "price": "价格", "review": "评价",
            "gift": "礼品", "card": "卡", "balance": "余额", "installment": "分期",
            "complaint": "投诉", "complain": "投诉", "customer": "客服", "service": "服务",
            "human": "人工", "agent": "人工", "hours": "时间", "fee": "费用", "cost": "费用",
            "free": "免费", "stock": "库存", "restock": "补货", "authentic": "正品", "fake": "假货",
            "cod": "货到付款", "status": "状态", "change": "修改", "modify": "修改", "edit": "修改",
            "international": "海外", "overseas": "海外", "abroad": "国外",
        ],
        stopTokens: [
            "的", "了", "吗", "呢", "啊", "吧", "呀", "哦", "嘛", "么", "我", "你", "您", "们", "是", "在", "就",
            "都", "也", "还", "这", "那", "个", "怎", "什", "请", "问", "一", "下", "把", "被", "让", "着",
            "怎么", "什么", "怎样", "如何", "可以", "能否", "我的", "你们", "我们", "请问", "一下", "这个",
            "那个", "一个", "是不", "有没", "为什", "the", "a", "an", "to", "is", "my", "i", "how", "what", "can",
        ]
    )
}
