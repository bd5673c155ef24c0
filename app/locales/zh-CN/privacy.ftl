## Cookie 同意横幅
consent-title = banana nano 的 Cookie
consent-body = 我们使用必要的 Cookie 来保持你的登录状态并记住你的语言。在你同意后，我们还希望统计页面访问量（分析），并记住把你带到这里的推广活动（营销）。在你做出选择之前，这些都不会运行；你也可以随时在隐私设置中更改。
consent-body-short = 必要的 Cookie 用于保持登录。是否允许我们统计访问并记住推广链接？在你选择之前都不会运行。
consent-cookie-policy = 阅读 Cookie 政策
consent-reject-all = 全部拒绝
consent-accept-all = 全部接受
consent-customize = 自定义
consent-categories = 按类别选择
consent-essential = 必要
consent-essential-hint = 登录、语言、安全以及你的同意选择。始终开启：网站离不开它们。
consent-analytics = 分析
consent-analytics-hint = 在我们自己的服务器上统计访问了哪些页面。绝不出售，绝不共享。
consent-marketing = 营销
consent-marketing-hint = 在 30 天内记住把你带到这里的推广链接。
consent-save = 保存我的选择

## /settings/privacy
settings-nav-privacy = 隐私
privacy-settings-title = 隐私设置
privacy-settings-heading = 隐私
privacy-settings-intro = 隐私政策承诺你可以做的每一件事，都可以在这里自己完成。更改立即生效。
privacy-settings-policy-link = 阅读隐私政策
privacy-on = 开启
privacy-off = 关闭
privacy-notice-consent-saved = 你的 Cookie 选择已保存。

privacy-consent-heading = Cookie 与追踪
privacy-consent-current = 分析：{ $analytics }。营销：{ $marketing }。
privacy-consent-undecided = 你还没有做出选择，因此只使用必要的 Cookie。
privacy-consent-gpc = 你的浏览器发送了“全球隐私控制”（GPC）信号。我们将其视为“全部拒绝”：只要该信号开启，无论下方如何选择，都不会使用分析或营销 Cookie。
privacy-consent-withdraw = 撤回全部同意
privacy-consent-history = 你的选择记录
privacy-source-banner = Cookie 横幅
privacy-source-settings = 隐私设置
privacy-source-gpc = 全球隐私控制
privacy-source-withdraw = 已撤回
privacy-col-when = 时间
privacy-col-where = 来源
privacy-col-version = 政策版本
privacy-col-status = 状态
privacy-col-expires = 链接到期
privacy-col-size = 大小
privacy-col-kind = 请求
privacy-col-due = 截止日期

privacy-export-heading = 下载你的数据
privacy-export-body = 我们会把关于你的全部数据——账户、订单与点数、提示词、上传和图片、设置与记录——整理成一个 ZIP 文件，其中包含机器可读的 JSON 文件和你的图片，并通过邮件发送链接给你。链接在 { $days } 天内有效，且只能在你登录时使用。
privacy-export-button = 准备我的下载
privacy-export-list = 你的下载
privacy-export-status-queued = 等待开始
privacy-export-status-running = 正在准备
privacy-export-status-ready = 已就绪——请查收邮件
privacy-export-status-failed = 失败——请重新申请

privacy-correct-heading = 更正你的数据
privacy-correct-body = 你的名字、头像、语言、联系方式、邮箱地址和密码可以随时修改。其他有误的信息，请通过下方的更正请求告诉我们。
privacy-correct-profile = 编辑我的资料
privacy-correct-security = 邮箱和密码

privacy-processing-heading = 限制我们如何使用你的数据
privacy-processing-body = 开启这些选项后，我们会停止对你账户的分析、营销和任何个性化处理。服务本身——生成图片、历史记录、账单——照常运行。
privacy-restrict = 限制处理
privacy-restrict-hint = 例如在你对数据准确性提出异议期间。
privacy-object = 反对基于我们正当利益的处理
privacy-object-hint = 例如产品分析与改进。
privacy-processing-save = 保存

privacy-marketing-heading = 营销邮件
privacy-marketing-on = 你会不定期收到我们的新闻和优惠。每封邮件都带有一键退订链接。
privacy-marketing-off = 你不会收到我们的营销邮件。有关你的账户、订单和我们政策的服务通知仍会送达。
privacy-marketing-subscribe = 给我发送新闻和优惠
privacy-marketing-unsubscribe = 停止营销邮件

privacy-rights-heading = 权利请求
privacy-rights-body = 如果某件事无法在这里完成，或者你更愿意写信给我们，请提交请求：访问、更正、删除、限制、反对或获取可携带副本。我们会在 30 天内答复；如确需更长时间，我们会在截止日期前告诉你原因，而且只能延期一次。
privacy-rights-new = 提交请求
privacy-rights-list = 你的请求

privacy-delete-heading = 删除你的账户
privacy-delete-body = 你将立即在所有设备上退出登录。你的图片、上传、提示词和下载会立即删除。你的个人资料会保留 { $days } 天，以便我们处理争议和反欺诈核查，之后彻底清除。付款和点数记录会按税法要求的期限保留，但会去除你的姓名和邮箱。
privacy-delete-password = 你的密码
privacy-delete-code = 身份验证器应用中的验证码
privacy-delete-recent-sign-in = 你的账户通过 Google 或 GitHub 登录：要删除账户，你必须在最近 15 分钟内登录过。如果已超过这个时间，请先退出并重新登录。
privacy-delete-confirm = 输入 { $email } 以确认
privacy-delete-button = 永久删除我的账户

## /terms/accept
terms-accept-title = 条款已更新
terms-accept-heading = 我们的条款有变更
terms-accept-body = 我们发布了新版服务条款，其中的变更会影响你使用 banana nano 的方式。请阅读并接受后继续。无论如何，你的账户、点数和图片都不会受到影响。
terms-accept-read = 阅读新条款
terms-accept-versions = 与早期版本对比
terms-accept-checkbox = 我已阅读并接受新的服务条款。
terms-accept-button = 接受并继续
terms-accept-decline = 暂不接受——退出登录
terms-accept-error-unticked = 请勾选以接受新条款，或退出登录。
terms-accept-notice = 谢谢——已接受新条款。

## 重大政策变更通知
policy-notice-body = 我们对{ $doc ->
        [privacy] 隐私政策
        [terms] 服务条款
        [cookies] Cookie 政策
       *[other] 子处理方列表
    }做了一项重要变更，自 { $date } 起生效。
policy-notice-read = 查看变更内容
policy-notice-dismiss = 知道了
