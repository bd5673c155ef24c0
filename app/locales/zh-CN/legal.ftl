# 法律页面：隐私政策、服务条款、Cookie 政策、子处理方及其历史版本。
# 数字、期限、处理方和 Cookie 来自隐私登记表；这里只是围绕它们的文字。

## 页面框架

legal-toc-heading = 本页目录
legal-meta-version = 版本 { $version }
legal-meta-effective = 自 { $date } 起生效
legal-archive-link = 全部版本
legal-english-governs = 本页为译文。如与英文版本有任何不一致，以英文版本为准。
legal-versions-title = { $doc }：全部版本
legal-versions-description = 本文件每一个已发布的版本及其生效日期。
legal-versions-intro = 每个版本都按发布时的原样保留，可随时查阅。标为“重大变更”的版本改变了我们处理数据的方式或您同意的内容，发布时已在产品内和通过邮件通知。
legal-versions-col-version = 版本
legal-versions-col-effective = 生效日期
legal-versions-col-published = 发布时间
legal-versions-col-change = 变更类型
legal-versions-material = 重大变更
legal-versions-minor = 一般变更
legal-versions-current = 当前版本
legal-versions-none = 尚未发布任何版本。
legal-versions-back = 查看当前版本
legal-archived-notice = 您正在查看自 { $date } 起生效的版本，仅供参考。
legal-archived-current-link = 查看当前版本
legal-archived-is-current = 这是当前版本。

## 通用语句与链接

legal-governing-language = 本文件以英文撰写并翻译为其他语言。如译文与英文版本有任何不一致，以英文版本为准。
legal-operator-default = 本网站的运营者
legal-link-request-form = 隐私请求表单
legal-link-support-form = 客服表单
legal-link-subprocessors = 子处理方
legal-link-cookies = Cookie 政策
legal-link-privacy-settings = 隐私设置
legal-link-archive = 版本存档
legal-link-privacy = 隐私政策
legal-link-pricing = 价格页面
legal-purpose-with-basis = { $purpose }（{ $basis }）

## 期限

legal-period-hours = { $count } 小时
legal-period-days = { $count } 天
legal-period-years = { $count } 年
legal-period-session = 关闭浏览器即失效

## 保存规则

legal-retention-while-active = 账户存续期间保存，删除账户后再保存 { $period }
legal-retention-for = 自产生之日起保存 { $period }，之后删除
legal-retention-unless-migrated = 保存 { $period }后删除，除非您将其转入账户
legal-retention-then-anonymized = 最长保存 { $period }，之后仅以汇总或匿名形式保留
legal-retention-until-withdrawn = 保存至您退订或撤回同意为止

## 数据类别

legal-category-account-name = 账户
legal-category-account-contains = 电子邮箱、显示名称、头像、语言和主题；密码哈希值，或您用于登录的 Google、GitHub 账户标识；会话和已登录设备；两步验证设置；您自愿填写的资料（公司、地区、电话、简介）；滥用标记。
legal-category-usage-name = 使用情况
legal-category-usage-contains = 您使用的页面和功能、使用时间和频率，以及浏览器中的错误报告。
legal-category-device-network-name = 设备与网络
legal-category-device-network-contains = 设备类型、操作系统、浏览器及版本、IP 地址及由此推断的大致位置。
legal-category-cookies-name = Cookie
legal-category-cookies-contains = 用于保持登录、记住您的选择，以及仅在您同意后用于统计使用情况和推广活动的 Cookie。
legal-category-orders-payments-name = 订单、付款与点数
legal-category-orders-payments-contains = 订单号，结账、客户、订阅和发票标识，金额与币种，产品与套餐，点数余额及记录（购买、消耗、过期），争议备注，以及开具发票和纳税所需的账单信息。我们从不获取您的完整卡号或安全码。
legal-category-uploads-prompts-name = 上传内容与提示词
legal-category-uploads-prompts-contains = 参考图片、蒙版和画笔轨迹，提示词和反向提示词，风格、种子以及每次生成的其他参数。
legal-category-generated-content-name = 生成的图片
legal-category-generated-content-contains = 我们为您生成的图片、缩略图、下载压缩包以及交付这些内容所需的数据。
legal-category-guest-data-name = 访客数据
legal-category-guest-data-contains = 访客在注册前的随机标识、上传内容、生成结果和试用记录。
legal-category-logs-analytics-name = 日志与统计
legal-category-logs-analytics-contains = 服务器日志（请求、错误和安全事件），以及仅在您同意后记录的统计事件。
legal-category-support-marketing-name = 客服与营销
legal-category-support-marketing-contains = 您发给我们的消息、您的订阅偏好和问卷回答。

## 目的与法律依据

legal-purpose-provide-service = 提供服务
legal-purpose-provide-service-long = 提供您所要求的服务：账户、工作台、历史记录和 API
legal-purpose-billing = 计费
legal-purpose-billing-long = 收取付款、发放和扣除点数、开具发票和退款
legal-purpose-security = 安全
legal-purpose-security-long = 防止滥用和欺诈、执行使用限制、保护上传内容、调查安全事件
legal-purpose-improvement = 改进产品
legal-purpose-improvement-long = 了解产品的使用情况并加以改进
legal-purpose-marketing = 营销
legal-purpose-marketing-long = 新闻邮件、促销活动以及推广效果统计
legal-purpose-compliance = 合规
legal-purpose-compliance-long = 履行税务和会计义务，回应主管机关的合法要求
legal-purpose-support = 客户支持
legal-purpose-support-long = 回答您的问题和请求
legal-basis-contract = 履行与您的合同
legal-basis-legal-obligation = 法定义务
legal-basis-legitimate-interest = 正当利益
legal-basis-consent = 您的同意

## Cookie 类别与各项 Cookie

legal-cookie-category-essential = 必要
legal-cookie-category-essential-about = 实现您所要求的功能所必需，例如登录、保持语言、访客工作台以及防范伪造请求
legal-cookie-category-functional = 功能
legal-cookie-category-functional-about = 记住您在界面中所做的选择，仅在您做出选择时设置
legal-cookie-category-analytics = 统计
legal-cookie-category-analytics-about = 在我们自己的第一方统计中计算访问量和页面浏览量
legal-cookie-category-marketing = 营销
legal-cookie-category-marketing-about = 记住是哪项推广活动或哪个链接把您带到这里
legal-cookies-consent-needed = 仅在您同意后使用
legal-cookies-consent-not-needed = 无需同意
legal-cookie-session-purpose = 保持您的登录状态，并保护表单免受跨站请求伪造。在您使用网站期间自动续期。
legal-cookie-lang-purpose = 记住您选择的语言。
legal-cookie-guest-purpose = 让您无需账户即可使用工作台，并在您注册前把您的上传内容和生成结果保存在一起。
legal-cookie-theme-purpose = 记住您选择的是浅色还是深色主题。
legal-cookie-consent-purpose = 记住您的 Cookie 选择及其对应的随机记录标识，以免再次询问。
legal-cookie-bn_aid-purpose = 一个随机标识，供我们自己的统计计算访问量和页面浏览量。
legal-cookie-bn_utm-purpose = 记住是哪项推广活动或哪个链接把您带到这里，以便我们了解哪些推广有效。

## 处理方

legal-processors-col-name = 服务
legal-processors-col-service = 为我们做什么
legal-processors-col-data = 接收的数据
legal-processors-col-location = 处理地点
legal-processor-stripe-service = 处理银行卡、微信支付和支付宝付款以及订阅
legal-processor-creem-service = 处理付款和订阅
legal-processor-gemini-service = 使用 Google 的模型生成和编辑图片
legal-processor-kie-service = 使用其托管的模型生成和编辑图片
legal-processor-openai-service = 使用 OpenAI 的模型生成和编辑图片
legal-processor-replicate-service = 运行托管在 Replicate 上的图片模型
legal-processor-resend-service = 投递我们的邮件
legal-processor-smtp-service = 通过运营方的邮件服务器发送我们的邮件
legal-processor-image-check-service = 检查上传和生成的图片是否含有不允许的内容
legal-processor-s3-service = 存储上传和生成的文件
legal-processor-turnstile-service = 在注册、登录和访客生成时区分真人与机器人
legal-processor-google-oauth-service = 在您选择时，用您的 Google 账户登录
legal-processor-github-oauth-service = 在您选择时，用您的 GitHub 账户登录
legal-place-united-states = 美国
legal-place-european-union = 欧盟
legal-place-singapore = 新加坡
legal-place-as-configured-by-the-operator = 运营者选定的地区
legal-place-global-cloudflare-network = 全球（Cloudflare 网络）

## 隐私政策

legal-privacy-title = 隐私政策
legal-privacy-description = banana nano 保存哪些个人数据、为何保存、保存多久、还有谁会接收，以及如何行使您的权利。
legal-privacy-summary = 我们只保存为您运行 banana nano 所需的数据，绝不出售。本页说明这些数据是什么、为何需要、保存多久、谁在协助我们，以及您如何掌控它们。
legal-privacy-intro-heading = 我们是谁
legal-privacy-intro-1 = 本政策说明{ $operator }（以下称“我们”）在您使用 banana nano（网站、工作台、API、我们的邮件和客服）时如何处理个人数据。处理这些数据的目的和方式由我们决定，因此我们作为控制者对其负责。
legal-privacy-intro-2 = 我们不出售您的个人数据，也不会为跨网站追踪您的广告而共享这些数据。有关本政策的问题，请联系 { $contact }。
legal-privacy-intro-2-by-form = 我们不出售您的个人数据，也不会为跨网站追踪您的广告而共享这些数据。有关本政策的问题，请通过我们的{ $contact }提交。
legal-privacy-data-heading = 我们收集什么以及为什么
legal-privacy-data-1 = 以下是我们保存的每一类个人数据、其包含的内容，以及我们使用它的目的和各自的法律依据：
legal-privacy-col-category = 数据
legal-privacy-col-contains = 包含内容
legal-privacy-col-purposes = 目的（法律依据）
legal-privacy-data-sources = 大部分数据来自您本人：在您注册、上传、撰写提示词、购买点数或联系我们时。部分数据在您使用网站时记录（服务器日志；统计数据仅在您同意后记录）。还有一部分来自您选择与我们一起使用的服务：您选用的登录服务和为您处理付款的支付服务。
legal-privacy-data-sensitive = 请勿上传健康、生物识别或财务信息，也不要上传他人的照片，除非您有权这样做且对方知情。
legal-privacy-purposes-heading = 处理目的与法律依据
legal-privacy-purposes-1 = 我们只为以下目的处理个人数据，每项目的都有相应的法律依据：
legal-privacy-col-purpose = 目的
legal-privacy-col-basis = 法律依据
legal-privacy-purposes-consent = 对于基于您同意的处理，您可以随时撤回同意，撤回前的处理仍然合法。对于基于正当利益的处理，您可以提出反对，除非我们有法律认可的充分理由，否则将停止处理。
legal-privacy-ai-heading = 您的提示词、上传内容和图片
legal-privacy-ai-none = 本网站仅使用内置的离线引擎生成图片，它运行在我们自己的服务器上：您的提示词和上传内容不会发送给任何模型服务商。
legal-privacy-ai-1 = 当您生成或编辑图片时，您的提示词、参数和参考图片会发送给您所选模型的服务商，仅用于为您生成图片。本网站使用的模型服务商：{ $providers }。
legal-privacy-ai-offline = 内置的离线引擎不是 AI，运行在我们自己的服务器上：您提供给它的内容不会发往任何其他地方。
legal-privacy-ai-training = 我们不会使用您的提示词、上传内容或生成的图片来训练或微调我们自己或任何他人的模型，也不会为此目的将其提供给模型服务商。
legal-privacy-ai-private = 您的上传内容和生成结果仅对您的账户可见，除非您选择分享。指向您文件的链接经过签名，并会过期。
legal-privacy-ai-safety = 自动检查会筛查提示词中我们条款所禁止的内容。只有在执行条款确有必要时，才会有人员查看被标记的内容，且该人员负有保密义务。
legal-privacy-ai-image-check = 本网站还会将上传内容和生成结果发送给一项图片检查服务，仅用于筛查违禁内容。
legal-privacy-ai-decisions = 我们不会仅凭自动化处理对您作出具有法律效力或类似重大影响的决定。
legal-privacy-ai-personal = 如果您的提示词或上传内容包含个人数据，生成的图片也可能包含。请在分享前检查生成结果。
legal-privacy-ai-guests = 您可以不注册账户、以访客身份试用工作台。访客的上传内容和生成结果保存 { $period }后删除，除非您注册或登录并将其转入账户。
legal-privacy-sharing-heading = 谁会接收您的数据
legal-privacy-sharing-1 = 我们只与下列服务商（处理方）共享个人数据。它们均签署了数据处理协议，负有保密和安全义务，且每一方只接收其任务所需的数据：
legal-privacy-sharing-none = 本网站目前没有使用任何会接收个人数据的外部服务商。
legal-privacy-sharing-list = 该名单及其所有历史版本也可在{ $link }页面查看。
legal-privacy-sharing-cards = 付款由支付服务商处理。我们从不接收或保存您的完整卡号或安全码。
legal-privacy-sharing-law = 只有在法律要求时，或为保护 banana nano 用户、公众或我们的权利、财产或安全所必需时，我们才会向主管机关披露个人数据。
legal-privacy-sharing-transfer = 如果 banana nano 发生合并、被收购或出售，个人数据可能转移给新的所有者；新所有者必须遵守本政策，或在以其他方式使用数据前征得您的同意。
legal-privacy-transfers-heading = 跨境传输
legal-privacy-transfers-1 = 我们的服务商在以下地点处理数据：{ $places }。这可能位于您所在国家或地区之外。
legal-privacy-transfers-none = 没有任何服务商从本网站接收个人数据，因此我们不会向境外传输数据。
legal-privacy-transfers-2 = 当数据离开欧洲经济区、英国或瑞士时，我们依据充分性认定或标准合同条款进行传输；数据在传输中加密，且只有确有需要的人员才能访问。您可以向我们索取这些保障措施的副本。
legal-privacy-cookies-heading = Cookie
legal-privacy-cookies-1 = 我们只使用少量自己的 Cookie，不使用其他公司的广告 Cookie：
legal-privacy-cookies-line = { $category }（{ $consent }）：{ $names }
legal-privacy-cookies-more = 每个 Cookie 的用途和有效期见我们的 { $link }，其中也说明了如何更改您的选择。
legal-privacy-retention-heading = 数据保存期限
legal-privacy-retention-1 = 每类数据我们只在需要的期限内保存：
legal-privacy-retention-line = { $category }：{ $retention }。
legal-privacy-retention-deletion = 当您删除账户时，您会被立即退出登录，您的内容会被立即移除。账户资料的剩余部分将保存 { $period }以处理可能的争议，之后彻底删除。
legal-privacy-retention-payments = 付款和点数记录依税务和会计法律要求保存 { $period }。在您的账户被彻底删除后，这些记录将不再带有您的姓名或标识。
legal-privacy-retention-end = 您可以随时自行提前删除上传内容和图片。期限届满后，数据将被删除，或仅以无法识别任何人的形式保留。
legal-privacy-rights-heading = 您的权利
legal-privacy-rights-1 = 欧盟《通用数据保护条例》、英国 GDPR、巴西 LGPD 和美国加州隐私法等法律赋予您对自己数据的权利。无论您身在何处，我们都向您提供这些权利：
legal-privacy-right-access = 访问权：获取我们持有的您的个人数据副本。
legal-privacy-right-correct = 更正权：更正不准确或不完整的数据。
legal-privacy-right-delete = 删除权：删除您的账户和数据，法律要求我们保留的部分除外。
legal-privacy-right-restrict = 限制处理权：要求我们除保存数据和提供服务外不再使用您的数据，例如在处理投诉期间。
legal-privacy-right-object = 反对权：反对基于我们正当利益的处理，例如统计分析。
legal-privacy-right-portability = 可携带权：以结构化、机器可读的格式获取您的数据，以便带往他处。
legal-privacy-right-withdraw = 撤回同意：可随时撤回，方式与给予同意一样简便，且不影响撤回前的处理。
legal-privacy-right-no-sale = 不出售、不共享：我们从不出售您的数据，也不为跨情境行为广告共享数据，因此无需选择退出；但您仍可要求我们确认这一点。
legal-privacy-right-gpc = 全球隐私控制（GPC）：如果您的浏览器发送此信号，我们会将其视为您拒绝统计和营销 Cookie。
legal-privacy-right-marketing = 营销：您可随时通过每封此类邮件中的链接或在设置中停止接收新闻邮件和促销信息。与账户相关的服务邮件不受影响。
legal-privacy-right-complain = 投诉权：向数据保护监管机构提出投诉。
legal-privacy-exercise-heading = 如何行使您的权利
legal-privacy-exercise-self = 登录后，您可以在{ $settings }中立即自行完成大部分操作：下载您的数据、删除账户、限制或反对处理、更改 Cookie 选择以及停止营销邮件。
legal-privacy-exercise-form = 如果您无法使用这些工具（没有账户、无法登录，或需要这些工具未提供的操作），请通过{ $form }提交请求，或发送邮件至 { $contact }。
legal-privacy-exercise-form-only = 如果您无法使用这些工具（没有账户、无法登录，或需要这些工具未提供的操作），请通过{ $form }提交请求。
legal-privacy-exercise-verify = 我们会核实请求确实来自数据所涉及的本人：通过您的登录状态，或通过我们发送到账户邮箱的链接。除此核实所需之外，我们不会索取任何其他信息。
legal-privacy-exercise-deadline = 我们会在 { $deadline }内答复。如请求较为复杂或数量较多，我们可延期一次，最多延长 { $extension }；如需延期，我们会在首个期限内告知您并说明原因。行使权利完全免费。
legal-privacy-exercise-refusal = 如果我们无法满足您的请求（例如法律要求我们保留付款记录），我们会告诉您原因，您可以向监管机构投诉。
legal-privacy-children-heading = 儿童
legal-privacy-children-1 = banana nano 面向 { $age } 岁及以上的用户。我们不会在知情的情况下收集更年幼儿童的数据。如果您认为有儿童向我们提供了个人数据，请联系 { $contact }，我们将予以删除。
legal-privacy-children-1-by-form = banana nano 面向 { $age } 岁及以上的用户。我们不会在知情的情况下收集更年幼儿童的数据。如果您认为有儿童向我们提供了个人数据，请通过我们的{ $contact }告知，我们将予以删除。
legal-privacy-security-heading = 安全
legal-privacy-security-1 = 我们通过技术和组织措施保护个人数据，包括：
legal-privacy-security-transport = 所有连接均采用传输加密（TLS）。
legal-privacy-security-storage = 数据库和文件存储均静态加密，密钥与数据分开保管。
legal-privacy-security-passwords = 密码仅以高强度单向哈希形式保存；所有人都可启用两步验证，管理员必须启用。
legal-privacy-security-tokens = 我们通过邮件发送的链接和指向您文件的链接均经过签名并会过期；其中的令牌仅以带密钥的哈希形式保存。
legal-privacy-security-access = 员工按“最少必要”原则分角色访问，开发环境与生产环境相互隔离。
legal-privacy-security-audit = 对管理操作和隐私操作记录审计日志，并进行入侵监测。
legal-privacy-security-2 = 任何互联网服务都无法保证绝对安全，但我们会定期测试这些措施（包括渗透测试）并持续改进。
legal-privacy-breach-heading = 发生安全事件时
legal-privacy-breach-1 = 如果安全事件使您的个人数据面临风险，我们会及时告知您：发生了什么、涉及哪些数据、我们正在采取的措施以及您可以做什么。在法律要求时，我们还会在知悉事件后 72 小时内通知主管监管机构。
legal-privacy-changes-heading = 本政策的变更
legal-privacy-changes-1 = 本政策的每个版本都会连同生效日期一起发布，历史版本可在{ $archive }中查阅。
legal-privacy-changes-2 = 如果变更属于重大变更，即改变了我们处理您数据的方式或您拥有的选择，我们会通过产品内通知和邮件告知您。
legal-privacy-contact-heading = 联系与投诉
legal-privacy-contact-1 = 本政策由{ $operator }提供。如对本政策或您的数据有任何疑问，请联系 { $contact }。
legal-privacy-contact-1-by-form = 本政策由{ $operator }提供。如对本政策或您的数据有任何疑问，请通过我们的{ $contact }提交。
legal-privacy-contact-support = 如需 banana nano 本身的帮助（账户、账单或图像生成），请通过{ $support }联系我们。
legal-privacy-contact-complain = 您也有权向数据保护监管机构投诉，特别是您居住地、工作地或您认为发生违法行为所在地的监管机构。我们也希望能先有机会为您解决问题。

## Cookie 政策

legal-cookies-title = Cookie 政策
legal-cookies-description = banana nano 设置的每个 Cookie、其用途和有效期，以及如何更改您的选择。
legal-cookies-summary = Cookie 是网站保存在您浏览器中的小文件。以下列出我们设置的每一个 Cookie，以及如何更改您的选择。
legal-cookies-about-heading = 关于我们的 Cookie
legal-cookies-about-1 = 以下所有 Cookie 均由本网站自身设置（第一方）。我们不允许广告网络或其他公司通过我们的页面设置 Cookie。
legal-cookies-about-2 = 必要 Cookie 是实现您所要求功能所必需的。统计和营销 Cookie 仅在您同意后设置，您可以随时改变主意。
legal-cookies-list-heading = 我们设置的 Cookie
legal-cookies-col-name = 名称
legal-cookies-col-category = 类别
legal-cookies-col-purpose = 用途
legal-cookies-col-lifetime = 有效期
legal-cookies-col-party = 设置方
legal-cookies-first-party = 本网站（第一方）
legal-cookies-categories-heading = 类别
legal-cookies-category-line = { $category }：{ $about }（{ $consent }）。
legal-cookies-choices-heading = 更改您的选择
legal-cookies-choices-banner = 首次访问时，横幅会询问您接受哪些可选 Cookie。拒绝和接受一样简单，在您作出选择之前不会设置任何可选 Cookie。
legal-cookies-choices-settings = 您可以随时在{ $settings }中更改选择。撤回同意后，可选 Cookie 及其用途将随之停止。
legal-cookies-choices-gpc = 如果您的浏览器发送全球隐私控制（GPC）信号，无论此前作何选择，我们都将其视为拒绝统计和营销 Cookie。
legal-cookies-choices-browser = 您也可以在浏览器设置中阻止或删除 Cookie。没有必要 Cookie，您将无法登录或使用工作台。
legal-cookies-more-heading = 更多信息
legal-cookies-more-1 = 我们如何处理与这些 Cookie 有关的数据，请见我们的{ $privacy }。本页的历史版本见{ $archive }。如有疑问，请联系 { $contact }。
legal-cookies-more-1-by-form = 我们如何处理与这些 Cookie 有关的数据，请见我们的{ $privacy }。本页的历史版本见{ $archive }。如有疑问，请通过我们的{ $contact }提交。

## 子处理方

legal-subprocessors-title = 子处理方
legal-subprocessors-description = 为本 banana nano 网站处理个人数据的外部服务、各自接收的数据及处理地点。
legal-subprocessors-summary = 在本网站为我们处理个人数据的外部公司、它们各自接收的数据以及处理地点。
legal-subprocessors-about-heading = 关于本名单
legal-subprocessors-about-1 = 子处理方是代表我们处理个人数据的公司，例如处理付款或生成图片。每一方都依据数据处理协议开展工作，且只接收其任务所需的数据。
legal-subprocessors-about-2 = 本名单与本网站实际运行的配置一致：一项服务一经启用就会出现在这里，停用后即从这里移除。
legal-subprocessors-active-heading = 本网站使用的子处理方
legal-subprocessors-active-none = 本网站目前未使用任何子处理方：没有外部公司从本网站接收个人数据。
legal-subprocessors-inactive-heading = 支持但本网站未使用的服务
legal-subprocessors-inactive-1 = banana nano 可以与以下服务配合使用，但本网站并未使用它们，它们也不会从我们这里接收任何数据：
legal-subprocessors-inactive-none = 本网站使用了 banana nano 支持的全部服务。
legal-subprocessors-inactive-line = { $name }：{ $service }
legal-subprocessors-safeguards-heading = 保障措施
legal-subprocessors-safeguards-1 = 当子处理方在欧洲经济区、英国或瑞士以外处理数据时，传输依据充分性认定或标准合同条款进行，并在传输中加密。
legal-subprocessors-safeguards-2 = 有关我们如何处理个人数据的更多信息，请见我们的{ $privacy }。本名单的历史版本见{ $archive }。

## 服务条款

legal-terms-title = 服务条款
legal-terms-description = 您与我们之间关于使用 banana nano 的协议：账户、点数、可接受的使用方式、您的内容以及双方的责任。
legal-terms-summary = 使用 banana nano 的规则，力求通俗易懂：我们提供什么、您可以如何使用、点数如何运作，以及双方各自承担的责任。
legal-terms-agreement-heading = 本协议
legal-terms-agreement-1 = 本条款是您与{ $operator }（以下称“我们”）之间关于您使用 banana nano（网站、工作台和 API）的协议。注册账户或以访客身份使用本服务，即表示您接受本条款。
legal-terms-agreement-2 = 我们如何处理个人数据，请见我们的{ $privacy }；它说明了我们提供服务的方式，但并非需要您签署的合同。
legal-terms-service-heading = 本服务
legal-terms-service-1 = banana nano 是一个图片工作室：您描述想要的图片或上传参考图，由您选择的模型生成或编辑图片。图片模型由外部服务商运行，名单见我们的子处理方页面。
legal-terms-service-offline = 内置的离线引擎有明确标注：它不是 AI，相同的参数每次都会画出相同的图片。
legal-terms-service-changes = 我们可能会改进、变更或下线功能和模型。如果某项变更会取消您已付费的内容，我们会事先告知您，您可以保留已购买的内容或获得合理的退款。
legal-terms-accounts-heading = 您的账户
legal-terms-accounts-1 = 请提供真实信息，妥善保管密码和 API 密钥；如认为他人使用了您的账户，请立即告知我们。一个账户仅供一人使用，您须对账户下的行为负责。
legal-terms-accounts-2 = 对于违反本条款或危及他人或本服务的账户，我们可以暂停其使用。除非法律或安全原因不允许，我们会告知您原因，并给您申辩的机会。
legal-terms-age-heading = 最低年龄
legal-terms-age-1 = 您必须年满 { $age } 周岁才能使用 banana nano。注册账户即表示您确认符合这一要求。
legal-terms-credits-heading = 点数
legal-terms-credits-buy = 生成图片使用点数支付。您可以按{ $pricing }上的价格购买点数包或订阅；付款前会显示价格、点数数量及有效期。
legal-terms-credits-spend = 每次生成前都会显示所需点数。生成过程中点数会被暂时冻结，只有成功后才会扣除：失败或被拒绝的生成不收取任何费用。
legal-terms-credits-expiry = 点数在有效期结束时过期：购买的点数包在购买时显示的期限后过期，订阅点数在每个计费周期结束时过期。最先过期的点数会被优先使用。
legal-terms-credits-bonus = 新账户在验证邮箱后可获得 { $credits } 个免费点数，有效期为 { $period }。
legal-terms-credits-value = 点数不具有现金价值：不能兑换成现金，也不能转让给其他账户或转售。
legal-terms-credits-refunds = 如果购买过程中出现问题，请联系 { $contact }。如法律赋予您撤销购买或获得退款的权利，我们将予以尊重。退款会按退款金额比例扣除相应的点数。
legal-terms-credits-refunds-by-form = 如果购买过程中出现问题，请通过我们的{ $contact }告知。如法律赋予您撤销购买或获得退款的权利，我们将予以尊重。退款会按退款金额比例扣除相应的点数。
legal-terms-credits-reversals = 如果某笔付款在其点数已被使用后被退款或发生争议，您的余额可能变为负数。余额为负期间无法开始新的生成；您之后获得的点数将首先用于抵补。
legal-terms-use-heading = 可接受的使用方式
legal-terms-use-1 = 您不得使用 banana nano：
legal-terms-use-illegal = 创作、上传或分享在您所在地或我们运营所在地违法的任何内容；
legal-terms-use-minors = 创作、上传或分享任何涉及未成年人的性内容，或将未成年人性化的内容；
legal-terms-use-intimate = 未经本人同意制作真实人物的私密或性图像；
legal-terms-use-deception = 制作意图欺骗、诽谤或冒充真实人物的图像；
legal-terms-use-rights = 侵犯他人的著作权、商标权、隐私权或其他权利；
legal-terms-use-harass = 骚扰、威胁他人，或宣扬针对他人的暴力或仇恨；
legal-terms-use-systems = 攻击、压垮或探测本服务，规避其限制或安全检查，或在 API 提供的范围之外自动抓取数据；
legal-terms-use-resale = 出售、共享或转售您账户或 API 密钥的使用权。
legal-terms-use-2 = 提示词和图片可能会被自动检查。违反上述规则的请求会被拒绝（我们会明确告知您，且不收取费用），屡次尝试的账户可能会被暂停。
legal-terms-content-heading = 您的内容和您创作的图片
legal-terms-content-inputs = 您上传和撰写的内容仍归您所有。您允许我们保存、处理这些内容，并将其发送给您选择的模型服务商，仅用于向您提供服务。
legal-terms-content-outputs = 在您与我们之间，您生成的图片在法律允许的范围内归您所有，您可以将其用于任何合法用途，包括商业用途。我们不主张任何权利。
legal-terms-content-similar = AI 生成的内容在某些地区可能不受著作权保护，且模型可能为他人生成与您相似的图片。您须对图片的使用方式负责，并确认其不侵犯任何人的权利。
legal-terms-content-training = 我们不会使用您的提示词、上传内容或图片训练或微调任何模型。
legal-terms-guests-heading = 以访客身份使用
legal-terms-guests-1 = 您可以不注册账户试用工作台，获得 { $credits } 个试用点数。本条款同样适用于访客。
legal-terms-guests-2 = 访客的上传内容和生成结果会在 { $period }后删除，除非您注册或登录，将其转入您的账户。
legal-terms-availability-heading = 服务可用性
legal-terms-availability-1 = 我们努力让 banana nano 保持可用和快速，但服务可能会中断，例如进行维护或模型服务商出现故障时。因此类原因失败的生成不收取任何费用。
legal-terms-availability-2 = 请自行保存对您重要的图片：图片只会保存一段有限的时间，详见我们的隐私政策。
legal-terms-ending-heading = 协议终止
legal-terms-ending-1 = 您可以随时停止使用，并在{ $settings }中删除账户。删除账户后剩余点数将失效，因此请先用完，或在您有权退款时联系我们。
legal-terms-ending-2 = 如果您严重或多次违反本条款，我们可以终止协议。如果我们因其他原因终止协议，会提前给予合理通知，并退还您已付费但未使用的点数。
legal-terms-liability-heading = 责任
legal-terms-liability-1 = 我们以合理的谨慎和技能提供 banana nano。由于图片由模型生成，我们无法保证每个结果都符合您的设想。
legal-terms-liability-2 = 本条款不限制法律不允许限制的责任，例如因过失造成的人身伤亡或欺诈责任，也不影响消费者保护法赋予您的任何权利。
legal-terms-liability-3 = 除此之外，我们对无法预见的损失不承担责任，且我们对您的全部责任以您在索赔前十二个月内向我们支付的金额为限。
legal-terms-changes-heading = 本条款的变更
legal-terms-changes-1 = 本条款的每个版本都会连同生效日期一起发布，历史版本可在{ $archive }中查阅。
legal-terms-changes-2 = 如果变更属于重大变更，我们会通过产品内通知和邮件告知您，并在您下次登录时请您接受新条款。如果您不接受，可以停止使用 banana nano 并删除账户。
legal-terms-language-heading = 语言
legal-terms-contact-heading = 联系我们
legal-terms-contact-1 = 本条款由{ $operator }提供。如有疑问，请联系 { $contact }。
legal-terms-contact-1-by-form = 本条款由{ $operator }提供。如有疑问，请通过我们的{ $contact }提交。
