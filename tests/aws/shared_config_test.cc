#include "aws/shared_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/environment.h"
#include "aws/ini.h"
#include "aws/redact.h"
#include "aws/shell_words.h"
#include "aws/timestamp.h"
#include "credentials_test_util.h"

namespace costwatch::aws {
namespace {

using ::testing::HasSubstr;
using testing::kSecret;
using ::testing::Not;
using testing::TempDir;
using testing::Vars;

std::vector<IniSection> MustParse(std::string_view text) {
  auto parsed = ParseIni(text, "cfg");
  EXPECT_TRUE(parsed.ok()) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : std::vector<IniSection>{};
}

std::string ParseError(std::string_view text) {
  auto parsed = ParseIni(text, "~/.aws/config");
  EXPECT_FALSE(parsed.ok());
  return parsed ? "" : parsed.error().message;
}

SharedConfig MustConfig(std::optional<std::string_view> config,
                        std::optional<std::string_view> credentials) {
  auto loaded = SharedConfig::Parse(config, credentials);
  EXPECT_TRUE(loaded.ok()) << (loaded ? "" : loaded.error().message);
  return loaded ? *loaded : SharedConfig{};
}

// --- the INI dialect -------------------------------------------------------------------------

TEST(IniTest, KeyValueTrimmedAndKeysLowerCased) {
  auto sections = MustParse("[default]\n  Region   =   us-east-1  \nOUTPUT=json\nempty =\n");
  ASSERT_EQ(sections.size(), 1u);
  EXPECT_EQ(sections[0].name, "default");
  EXPECT_EQ(sections[0].values.at("region"), "us-east-1");
  EXPECT_EQ(sections[0].values.at("output"), "json");
  EXPECT_EQ(sections[0].values.at("empty"), "");
  EXPECT_FALSE(sections[0].values.contains("Region"));
}

TEST(IniTest, ColonIsADelimiterAndTheFirstDelimiterSplits) {
  auto sections =
      MustParse("[default]\noutput: json\nendpoint_url = http://localhost:4566\nurl: a=b\n");
  EXPECT_EQ(sections[0].values.at("output"), "json");
  EXPECT_EQ(sections[0].values.at("endpoint_url"), "http://localhost:4566");
  EXPECT_EQ(sections[0].values.at("url"), "a=b");
}

TEST(IniTest, FullLineCommentsOnlyNoInlineComments) {
  auto sections = MustParse(
      "# top\n; also\n[default]\n  # indented comment\nregion = us-east-1 # not a comment\n"
      "x = a;b\n");
  EXPECT_EQ(sections[0].values.at("region"), "us-east-1 # not a comment");
  EXPECT_EQ(sections[0].values.at("x"), "a;b");
  EXPECT_EQ(sections[0].values.size(), 2u);
}

TEST(IniTest, NestedSectionsKeepTheirKeyCase) {
  auto sections = MustParse(
      "[default]\ns3 =\n  addressing_style = path\n\n  Max_Concurrency=10\n  # comment\n"
      "region = eu-west-1\n");
  const auto& s3 = sections[0].nested.at("s3");
  EXPECT_EQ(s3.at("addressing_style"), "path");
  EXPECT_EQ(s3.at("Max_Concurrency"), "10");
  EXPECT_FALSE(sections[0].values.contains("s3"));
  EXPECT_EQ(sections[0].values.at("region"), "eu-west-1");
}

TEST(IniTest, IndentedLinesContinueANonEmptyValue) {
  auto sections = MustParse("[default]\ncmd = a\n   b\n\n   c\nnext = 1\n");
  EXPECT_EQ(sections[0].values.at("cmd"), "a\nb\n\nc");
  EXPECT_EQ(sections[0].values.at("next"), "1");
}

TEST(IniTest, EmptyKeyWithOnlyBlankLinesStaysEmpty) {
  auto sections = MustParse("[default]\ns3 =\n\n\n[profile x]\n");
  EXPECT_EQ(sections[0].values.at("s3"), "");
}

TEST(IniTest, DefaultSectionIsInheritedByEverySection) {
  auto sections = MustParse("[DEFAULT]\nd = inherited\nregion = x\n[a]\nregion = own\n[b]\n");
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].values.at("d"), "inherited");
  EXPECT_EQ(sections[0].values.at("region"), "own");
  EXPECT_EQ(sections[1].values.at("region"), "x");
}

TEST(IniTest, CrLfAndSectionHeaderTextAfterBracket) {
  auto sections = MustParse("[default]\r\nregion = a\r\n[profile x] ; note\r\nk=v\r\n");
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].values.at("region"), "a");
  EXPECT_EQ(sections[1].name, "profile x");
}

TEST(IniTest, SettingBeforeAnySectionIsAnErrorWithLineNumber) {
  EXPECT_EQ(ParseError("# c\n\nregion = x\n"),
            "~/.aws/config line 3: expected a section header such as [default] before the first "
            "setting");
}

TEST(IniTest, LineWithoutDelimiterIsAnErrorThatDoesNotEchoTheLine) {
  const std::string message = ParseError("[default]\nregion = x\n" + std::string(kSecret) + "\n");
  EXPECT_EQ(message, "~/.aws/config line 3: expected 'key = value'");
}

TEST(IniTest, EmptyKeyIsAnError) {
  EXPECT_THAT(ParseError("[default]\n = value\n"), HasSubstr("line 2: expected 'key = value'"));
}

TEST(IniTest, DuplicateSectionInOneFileIsAnError) {
  EXPECT_THAT(ParseError("[default]\na=1\n[default]\nb=2\n"),
              HasSubstr("line 3: section [default] appears twice in this file (first on line 1)"));
}

TEST(IniTest, DuplicateKeyIgnoringCaseIsAnErrorWithoutTheKey) {
  const std::string message = ParseError(
      "[default]\naws_secret_access_key = a\nAWS_Secret_Access_Key = " + std::string(kSecret) +
      "\n");
  EXPECT_THAT(message,
              HasSubstr("line 3: a key appears twice in section [default] (first on line 2)"));
  EXPECT_THAT(message, Not(HasSubstr(std::string(kSecret))));
}

TEST(IniTest, NestedLineWithoutEqualsIsAnError) {
  EXPECT_THAT(ParseError("[default]\ns3 =\n  a = b\n  oops: c\n"),
              HasSubstr("line 4: expected 'key = value' in the nested settings of 's3'"));
}

// --- profiles in the two files -----------------------------------------------------------------

TEST(SharedConfigTest, ConfigFileProfileSections) {
  auto config = MustConfig(
      "[default]\nregion = a\n[profile dev]\nregion = b\n[profile  \"my profile\" ]\nregion = c\n"
      "[plain]\nregion = d\n[profilex]\nregion = e\n[sso-session corp]\nsso_region = f\n"
      "[services local]\ns3 =\n  endpoint_url = http://localhost\n",
      std::nullopt);
  EXPECT_EQ(config.profile("default")->get("region"), "a");
  EXPECT_EQ(config.profile("dev")->get("region"), "b");
  EXPECT_EQ(config.profile("my profile")->get("region"), "c");
  EXPECT_EQ(config.profile("plain"), nullptr);  // plain sections are not profiles in config
  EXPECT_EQ(config.profile("profilex"), nullptr);
  EXPECT_EQ(config.profile("x"), nullptr);
  EXPECT_EQ(config.sso_session("corp")->get("sso_region"), "f");
  EXPECT_EQ(config.services("local")->nested_section("s3")->at("endpoint_url"), "http://localhost");
  EXPECT_EQ(config.profile_names(), (std::vector<std::string>{"default", "dev", "my profile"}));
}

TEST(SharedConfigTest, LaterDefaultSectionReplacesEarlier) {
  auto config =
      MustConfig("[default]\nregion = a\nx = 1\n[profile default]\nregion = b\n", std::nullopt);
  EXPECT_EQ(config.profile("default")->get("region"), "b");
  EXPECT_EQ(config.profile("default")->get("x"), std::nullopt);
}

TEST(SharedConfigTest, CredentialsFileSectionsAreProfileNamesAsWritten) {
  auto config = MustConfig(std::nullopt, "[default]\na = 1\n[dev]\na = 2\n[profile odd]\na = 3\n");
  EXPECT_EQ(config.profile("dev")->get("a"), "2");
  EXPECT_EQ(config.profile("profile odd")->get("a"), "3");
  EXPECT_EQ(config.profile("odd"), nullptr);
}

TEST(SharedConfigTest, CredentialsFileValuesOverrideConfigFile) {
  auto config = MustConfig(
      "[profile dev]\nregion = eu-west-1\naws_access_key_id = CONFIGKEY\ns3 =\n  a = b\n",
      "[dev]\naws_access_key_id = CREDKEY\ns3 = flat\n");
  const Profile* dev = config.profile("dev");
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->get("region"), "eu-west-1");
  EXPECT_EQ(dev->get("aws_access_key_id"), "CREDKEY");
  EXPECT_EQ(dev->get("s3"), "flat");
  EXPECT_EQ(dev->nested_section("s3"), nullptr);
  EXPECT_EQ(config.config_file_profile("dev")->get("aws_access_key_id"), "CONFIGKEY");
  EXPECT_EQ(config.credentials_file_profile("dev")->get("aws_access_key_id"), "CREDKEY");
}

TEST(SharedConfigTest, GetReturnsNothingForNestedKeys) {
  auto config = MustConfig("[default]\ns3 =\n  a = b\n", std::nullopt);
  EXPECT_EQ(config.profile("default")->get("s3"), std::nullopt);
  EXPECT_FALSE(config.profile("default")->has("s3"));
}

// --- loading the files -------------------------------------------------------------------------

TEST(SharedConfigLoadTest, MissingFilesAreNotErrors) {
  TempDir dir;
  MapEnvironment env(Vars{{"HOME", dir.path()}});
  auto config = SharedConfig::Load(env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->profile_names().empty());
  EXPECT_EQ(config->paths().config_file, dir.path() + "/.aws/config");
  EXPECT_EQ(config->paths().config_display, "~/.aws/config");
  EXPECT_EQ(config->paths().credentials_display, "~/.aws/credentials");
}

TEST(SharedConfigLoadTest, ReadsBothFilesUnderHome) {
  TempDir dir;
  dir.Write(".aws/config", "[profile dev]\nregion = eu-west-1\n");
  dir.Write(".aws/credentials", "[dev]\naws_access_key_id = AKIDEXAMPLE\n");
  MapEnvironment env(Vars{{"HOME", dir.path() + "/"}});
  auto config = SharedConfig::Load(env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->profile("dev")->get("region"), "eu-west-1");
  EXPECT_EQ(config->profile("dev")->get("aws_access_key_id"), "AKIDEXAMPLE");
}

TEST(SharedConfigLoadTest, EnvironmentOverridesLocationsWithTildeAndVariables) {
  TempDir dir;
  dir.Write("elsewhere/cfg", "[default]\nregion = from-cfg\n");
  dir.Write("creds", "[default]\noutput = text\n");
  MapEnvironment env(Vars{{"HOME", dir.path()},
                          {"AWS_CONFIG_FILE", "~/elsewhere/cfg"},
                          {"MYDIR", dir.path()},
                          {"AWS_SHARED_CREDENTIALS_FILE", "${MYDIR}/creds"}});
  auto config = SharedConfig::Load(env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->profile("default")->get("region"), "from-cfg");
  EXPECT_EQ(config->profile("default")->get("output"), "text");
  EXPECT_EQ(config->paths().config_display, "~/elsewhere/cfg");
  EXPECT_EQ(config->paths().credentials_display, "~/creds");
}

TEST(SharedConfigLoadTest, PathsOutsideHomeAreShownInFullAndUnsetVariablesStay) {
  MapEnvironment env(Vars{{"HOME", "/home/someone"},
                          {"AWS_CONFIG_FILE", "/etc/aws/config"},
                          {"AWS_SHARED_CREDENTIALS_FILE", "$NOPE/creds"}});
  const SharedConfigPaths paths = ResolveSharedConfigPaths(env);
  EXPECT_EQ(paths.config_display, "/etc/aws/config");
  EXPECT_EQ(paths.credentials_file, "$NOPE/creds");
}

TEST(SharedConfigLoadTest, ParseErrorNamesTheFileAndLine) {
  TempDir dir;
  dir.Write(".aws/config",
            "[default]\nregion = x\n\n# c\n[profile a]\nk = v\n" + std::string(kSecret) + "\n");
  MapEnvironment env(Vars{{"HOME", dir.path()}});
  auto config = SharedConfig::Load(env);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message, "~/.aws/config line 7: expected 'key = value'");
}

TEST(SharedConfigLoadTest, ADirectoryCountsAsMissing) {
  TempDir dir;
  dir.Write(".aws/config/inner", "");
  MapEnvironment env(Vars{{"HOME", dir.path()}});
  EXPECT_TRUE(SharedConfig::Load(env).ok());
}

// --- choosing the profile ----------------------------------------------------------------------

TEST(SelectProfileTest, FlagThenAwsDefaultProfileThenAwsProfileThenDefault) {
  MapEnvironment env(Vars{{"AWS_PROFILE", "p"}, {"AWS_DEFAULT_PROFILE", "dp"}});
  EXPECT_EQ(SelectProfile(env, "flag").name, "flag");
  EXPECT_EQ(SelectProfile(env, "flag").source, ActiveProfile::Source::kFlag);
  EXPECT_EQ(SelectProfile(env, std::nullopt).name, "dp");
  EXPECT_EQ(SelectProfile(env, std::nullopt).chosen_by, "AWS_DEFAULT_PROFILE");
  env.set("AWS_DEFAULT_PROFILE", "");
  EXPECT_EQ(SelectProfile(env, std::nullopt).name, "p");
  EXPECT_EQ(SelectProfile(env, "").name, "p");
  MapEnvironment empty;
  const ActiveProfile active = SelectProfile(empty, std::nullopt);
  EXPECT_EQ(active.name, "default");
  EXPECT_FALSE(active.explicitly_chosen());
}

TEST(SelectProfileTest, ExplicitProfileMustExistButImplicitDefaultNeedNot) {
  SharedConfigPaths paths;
  paths.config_display = "/x/config";
  paths.credentials_display = "/x/credentials";
  auto config = SharedConfig::Parse("[profile dev]\n", "[ci]\n", paths);
  ASSERT_TRUE(config.ok());
  MapEnvironment env;
  EXPECT_TRUE(CheckProfileExists(*config, SelectProfile(env, std::nullopt)).ok());
  EXPECT_TRUE(CheckProfileExists(*config, SelectProfile(env, "dev")).ok());
  EXPECT_TRUE(CheckProfileExists(*config, SelectProfile(env, "ci")).ok());
  auto missing = CheckProfileExists(*config, SelectProfile(env, "x"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "profile 'x' (from --profile) not found in /x/config or /x/credentials");
  env.set("AWS_PROFILE", "default");  // asked for explicitly, so it must exist too
  EXPECT_THAT(CheckProfileExists(*config, SelectProfile(env, std::nullopt)).error().message,
              HasSubstr("profile 'default' (from AWS_PROFILE) not found"));
}

// --- small helpers -----------------------------------------------------------------------------

TEST(ShellWordsTest, SplitsLikeShlex) {
  // Expected values from Python: shlex.split(r'''a "b\c\"d" 'e\f' g\h "" x''')
  auto words = SplitShellWords(R"(a "b\c\"d" 'e\f' g\h "" x)");
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(*words, (std::vector<std::string>{"a", R"(b\c"d)", R"(e\f)", "gh", "", "x"}));
  EXPECT_EQ(*SplitShellWords("  /bin/tool   --flag\t'two words' "),
            (std::vector<std::string>{"/bin/tool", "--flag", "two words"}));
  EXPECT_TRUE(SplitShellWords("   ")->empty());
}

TEST(ShellWordsTest, UnclosedQuoteIsAnErrorWithoutTheText) {
  auto words = SplitShellWords("tool --token 'abc" + std::string(kSecret));
  ASSERT_FALSE(words.ok());
  EXPECT_THAT(words.error().message, Not(HasSubstr(std::string(kSecret))));
  EXPECT_FALSE(SplitShellWords("tool \"x").ok());
  EXPECT_FALSE(SplitShellWords("tool \\").ok());
}

TEST(TimestampTest, ParsesRfc3339) {
  using namespace std::chrono;
  const auto base = sys_days{year{2024} / 5 / 1} + hours{12};
  EXPECT_EQ(ParseRfc3339("2024-05-01T12:00:00Z"), base);
  EXPECT_EQ(ParseRfc3339("2024-05-01t12:00:00z"), base);
  EXPECT_EQ(ParseRfc3339("2024-05-01T14:30:00+02:30"), base);
  EXPECT_EQ(ParseRfc3339("2024-05-01T11:00:00-01:00"), base);
  EXPECT_EQ(ParseRfc3339("2024-05-01T12:00:00.250Z"), base + milliseconds{250});
  EXPECT_FALSE(ParseRfc3339("2024-05-01T12:00:00"));
  EXPECT_FALSE(ParseRfc3339("2024-02-30T12:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2024-05-01T25:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2024-05-01T12:00:00.Z"));
  EXPECT_FALSE(ParseRfc3339("2024-05-01T12:00:00Zjunk"));
  EXPECT_FALSE(ParseRfc3339("tomorrow"));
}

TEST(RedactTest, HidesKeyLikeRunsAndKeepsTheRest) {
  EXPECT_EQ(RedactSecrets("bad key " + std::string(kSecret) + " for AKIDEXAMPLE"),
            "bad key <redacted> for AKIDEXAMPLE");
  EXPECT_EQ(SafeFirstLine("\n  first line\x01 here\nsecond"), "first line  here");
  EXPECT_EQ(SafeFirstLine(std::string(300, '-'), 10), "----------...");
}

}  // namespace
}  // namespace costwatch::aws
