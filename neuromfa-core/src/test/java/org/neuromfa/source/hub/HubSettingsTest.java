package org.neuromfa.source.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neuromfa.NeuroMfaException;

/** The Hub's environment conventions (huggingface_hub documentation) and the MODEL syntax. */
class HubSettingsTest {

    @Test
    void defaultsFollowTheHubConventions() {
        HubSettings s = HubSettings.fromEnvironment(Map.of("HOME", "/home/u"));
        assertThat(s.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(s.token()).isNull();
        assertThat(s.offline()).isFalse();
        assertThat(s.cacheDirectory()).isEqualTo(Paths.get("/home/u/.cache/huggingface/hub/neuromfa"));
    }

    @Test
    void cacheDirectoryPrecedence() {
        assertThat(HubSettings.fromEnvironment(Map.of("HOME", "/h", "XDG_CACHE_HOME", "/x")).cacheDirectory())
                .isEqualTo(Paths.get("/x/huggingface/hub/neuromfa"));
        assertThat(HubSettings.fromEnvironment(Map.of("HOME", "/h", "XDG_CACHE_HOME", "/x", "HF_HOME", "/hf"))
                .cacheDirectory()).isEqualTo(Paths.get("/hf/hub/neuromfa"));
        assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/hf", "HF_HUB_CACHE", "/c")).cacheDirectory())
                .isEqualTo(Paths.get("/c/neuromfa"));
        assertThat(HubSettings.fromEnvironment(Map.of("HOME", "/h", "HF_HOME", "~/hf")).cacheDirectory())
                .isEqualTo(Paths.get("/h/hf/hub/neuromfa"));
    }

    @Test
    void endpointTokenAndOffline() {
        HubSettings s = HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "https://hf-mirror.example/",
                "HF_TOKEN", " hf_abc ", "HF_HUB_OFFLINE", "true"));
        assertThat(s.endpoint()).isEqualTo(URI.create("https://hf-mirror.example"));
        assertThat(s.token()).isEqualTo("hf_abc");
        assertThat(s.offline()).isTrue();
        for (String yes : new String[] {"1", "ON", "yes", "True"}) {
            assertThat(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", yes)).offline()).isTrue();
        }
        for (String no : new String[] {"0", "", "false", "off"}) {
            assertThat(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", no)).offline()).isFalse();
        }
        assertThatThrownBy(() -> HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "ftp://x")))
                .isInstanceOf(NeuroMfaException.class).hasMessageStartingWith("HF_ENDPOINT: ");
    }

    @Test
    void originsDifferByHostOrPortOrScheme() {
        URI hub = URI.create("https://huggingface.co");
        assertThat(HubClient.sameOrigin(URI.create("https://HuggingFace.co:443/x/resolve/main/a"), hub)).isTrue();
        assertThat(HubClient.sameOrigin(URI.create("https://cdn-lfs.huggingface.co/repos/ab"), hub)).isFalse();
        assertThat(HubClient.sameOrigin(URI.create("http://huggingface.co/x"), hub)).isFalse();
        assertThat(HubClient.sameOrigin(URI.create("https://huggingface.co:8443/x"), hub)).isFalse();
    }

    @Test
    void modelSyntax() {
        assertThat(HubRepo.looksLikeRepo("EleutherAI/pythia-160m")).isTrue();
        assertThat(HubRepo.looksLikeRepo("EleutherAI/pythia-160m@step1000")).isTrue();
        assertThat(HubRepo.looksLikeRepo("models/x/y")).isFalse();
        assertThat(HubRepo.looksLikeRepo("./a/b")).isFalse();
        assertThat(HubRepo.looksLikeRepo("a/..")).isFalse();
        assertThat(HubRepo.looksLikeRepo("pythia")).isFalse();

        HubRepo r = HubRepo.parse("EleutherAI/pythia-160m@step1000", null);
        assertThat(r.id()).isEqualTo("EleutherAI/pythia-160m");
        assertThat(r.revision()).isEqualTo("step1000");
        assertThat(r.toString()).isEqualTo("EleutherAI/pythia-160m@step1000");
        assertThat(HubRepo.parse("EleutherAI/pythia-160m", null).revision()).isEqualTo("main");
        assertThat(HubRepo.parse("EleutherAI/pythia-160m", "step3000").revision()).isEqualTo("step3000");
        assertThat(HubRepo.parse("EleutherAI/pythia-160m@step3000", "step3000").revision()).isEqualTo("step3000");
        assertThat(HubRepo.parse("a/b@0123456789abcdef0123456789abcdef01234567", null).revisionIsCommit()).isTrue();
        assertThatThrownBy(() -> HubRepo.parse("a/b@step1", "step2")).isInstanceOf(NeuroMfaException.class)
                .hasMessage("a/b@step1: names revision 'step1' but revision says 'step2'");
    }

    @Test
    void cacheNamesAreSinglePathSegments() {
        assertThat(HubCache.segment("refs/pr/1")).isEqualTo("refs%2Fpr%2F1");
        assertThat(HubCache.segment("..")).isEqualTo("%2E%2E");
        assertThat(HubCheckpointFiles.unquote("W/\"abc\"")).isEqualTo("abc");
        assertThat(HubCheckpointFiles.unquote("\"abc\"")).isEqualTo("abc");
    }
}
