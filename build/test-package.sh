#!/usr/bin/env bash
# The path every user takes, tested from the package alone:
#   1. pack KernelGen into a local folder and check what is in the package;
#   2. make a brand-new console project outside the repository (dotnet new console), add the package from that
#      folder (with its own, empty NuGet package cache), write [Softmax] and [LogSoftmax] kernels into it, build
#      with warnings as errors, run it, and check what it prints against values computed here with awk;
#   3. publish the same app with NativeAOT (PublishAot=true, for this machine's runtime identifier) and check that the
#      native executable prints exactly what the JIT build printed: once on NativeAOT's baseline instruction set,
#      where KernelGen's targets must print their message about IlcInstructionSet (compared with the JIT build run
#      with DOTNET_EnableAVX=0, the same instruction set), and once with IlcInstructionSet=native, where they must
#      not (compared with the plain JIT run). NativeAOT needs clang: .ci/run installs it;
#   4. check that buildTransitive/KernelGen.targets stops a build whose C# compiler is too old for the generator,
#      with a real older compiler (the Microsoft.Net.Compilers.Toolset 4.14.0 package) and simulated ones
#      (-p:CompilerApiVersion=...), and lets the oldest supported one (5.0) through;
#   5. pack again from a fresh clone at another path and check that the assemblies are byte-identical.
# Exits non-zero on the first failure. Needs: dotnet, git, unzip, awk, sha256sum, and clang for NativeAOT.
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

repo=$(cd "$(dirname "$0")/.." && pwd -P)
work=$(mktemp -d "${TMPDIR:-/tmp}/kernelgen-package.XXXXXX")
work=$(cd "$work" && pwd -P)
trap 'rm -rf "$work"' EXIT

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
step() { echo "-- $*"; }
case "$work/" in "$repo"/*) fail "the temporary folder $work is inside the repository" ;; esac
for tool in dotnet git unzip awk sha256sum; do
  command -v "$tool" >/dev/null || fail "'$tool' is not on PATH"
done
command -v clang >/dev/null || fail "'clang' is not on PATH: NativeAOT needs it (apt-get install clang zlib1g-dev; .ci/run does)"

runtime_project="$repo/src/Runtime/KernelGen.Runtime.csproj"
version=$(dotnet msbuild "$runtime_project" -getProperty:PackageVersion)
[ -n "$version" ] || fail "could not read the package version from $runtime_project"
package="KernelGen.$version.nupkg"
# The package is built as CI builds it (CI=true sets this anyway): source paths mapped to /_/ so that the
# output does not depend on where the repository is.
pack_options=(-c Release -p:ContinuousIntegrationBuild=true)
# NuGet stamps the package's entries with SOURCE_DATE_EPOCH when it is set (reproducible-builds convention): the
# commit's time makes the whole .nupkg a function of the commit.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct)
  export SOURCE_DATE_EPOCH
fi

# ---------------------------------------------------------------------------------------------------------------
step "pack KernelGen $version"
dotnet pack "$runtime_project" "${pack_options[@]}" -o "$work/feed"
[ -f "$work/feed/$package" ] || fail "dotnet pack made no $package"
others=$(cd "$work/feed" && ls *.nupkg | grep -vx "$package" || true)
[ -z "$others" ] || fail "dotnet pack made other packages: $others"

step "package contents"
unzip -Z1 "$work/feed/$package" | sort > "$work/entries.txt"
sed 's/^/   /' "$work/entries.txt"
for entry in lib/net10.0/KernelGen.Runtime.dll lib/net10.0/KernelGen.Runtime.xml \
             analyzers/dotnet/cs/KernelGen.Generator.dll buildTransitive/KernelGen.targets build/KernelGen.targets \
             PACKAGE.md LICENSE KernelGen.nuspec; do
  grep -qx "$entry" "$work/entries.txt" || fail "the package has no $entry"
done
# The generator's own dependencies (Microsoft.CodeAnalysis and the like) stay out: the compiler provides them.
dlls=$(grep -i '\.dll$' "$work/entries.txt" | tr '\n' ' ')
[ "$dlls" = "analyzers/dotnet/cs/KernelGen.Generator.dll lib/net10.0/KernelGen.Runtime.dll " ] \
  || fail "the package should hold exactly the runtime and the generator assemblies, not: $dlls"
unzip -p "$work/feed/$package" KernelGen.nuspec > "$work/KernelGen.nuspec"
# The runtime's one dependency is System.Numerics.Tensors (TensorSpan<T> kernels); nothing of the generator's.
dependencies=$(grep '<dependency ' "$work/KernelGen.nuspec" | sed 's/^ *//')
[ "$(echo "$dependencies" | grep -c '<dependency ')" = 1 ] && echo "$dependencies" | grep -q 'id="System.Numerics.Tensors"' \
  || fail "the package's dependencies should be System.Numerics.Tensors alone, not: $dependencies"
grep -qi 'CodeAnalysis' "$work/KernelGen.nuspec" && fail "the nuspec names Microsoft.CodeAnalysis"
grep -q '<group targetFramework="net10.0">' "$work/KernelGen.nuspec" || fail "the nuspec has no net10.0 dependency group"
grep -q '<license type="expression">MIT</license>' "$work/KernelGen.nuspec" || fail "the nuspec has no MIT license expression"
grep -q '<readme>PACKAGE.md</readme>' "$work/KernelGen.nuspec" || fail "the nuspec names no readme"
grep -q '<repository type="git" url="https://github.com/kernelgen/kernelgen"' "$work/KernelGen.nuspec" \
  || fail "the nuspec has no repository url"
grep -q "<version>$version</version>" "$work/KernelGen.nuspec" || fail "the nuspec's version is not $version"
# The guard's minimum compiler must be the compiler the generator is built against.
roslyn=$(sed -n 's/.*Include="Microsoft.CodeAnalysis.CSharp" Version="\([0-9]*\.[0-9]*\)\..*/\1/p' "$repo/Directory.Packages.props")
guard=$(unzip -p "$work/feed/$package" buildTransitive/KernelGen.targets \
  | sed -n 's/.*<_KernelGenMinimumCompilerApiVersion>\(.*\)<\/_KernelGenMinimumCompilerApiVersion>.*/\1/p')
[ -n "$roslyn" ] && [ "$roslyn" = "$guard" ] \
  || fail "buildTransitive/KernelGen.targets asks for compiler '$guard', but the generator references Microsoft.CodeAnalysis.CSharp '$roslyn'"

# ---------------------------------------------------------------------------------------------------------------
step "a new console project, outside the repository, with its own empty package cache"
export NUGET_PACKAGES="$work/packages"
app="$work/app"
dotnet new console -o "$app" -n KernelGenUser --no-update-check
cd "$app"
# The local folder in addition to the sources the machine already has (nothing is cleared).
cat > nuget.config <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="kernelgen-local" value="$work/feed" />
  </packageSources>
</configuration>
EOF
# Sources come from nuget.config (this folder) and the machine (nuget.org, for System.Numerics.Tensors).
dotnet add package KernelGen --version "$version"
restored="$NUGET_PACKAGES/kernelgen/$version/kernelgen.$version.nupkg"
[ -f "$restored" ] || fail "KernelGen $version was not restored into $NUGET_PACKAGES"
cmp -s "$restored" "$work/feed/$package" || fail "the restored KernelGen is not the package just packed"

cat > Program.cs <<'EOF'
using System.Globalization;
using System.Numerics.Tensors;
using KernelGen;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

float[] scores = [1f, 2f, 3f, -1f, 0f, 0.5f];          // the first row sums to 6, so no element is 1/3
float[] large = [1000f, 1001f, 1002f, -50f, 50f, 0f];   // exp(1000) overflows unless the maximum is subtracted
float[] probs = new float[6];
MyKernels.Probs(scores, probs);
Print("softmax_small", probs);
MyKernels.Probs(large, probs);
Print("softmax_large", probs);

double[] logits = [0.5, -2, 4, 10, 10, 10];
MyKernels.LogProbs(logits);                              // in place
Print("logsoftmax", logits);

float[] tensorOut = new float[6];
MyKernels.TensorProbs(new ReadOnlyTensorSpan<float>(scores, [2, 3]), new TensorSpan<float>(tensorOut, [2, 3]));
Print("tensor_softmax", tensorOut);

float[] columns = [1000f, -50f, 1001f, 50f, 1002f, 0f];  // shape [3, 2], softmax over axis 0: each column of 3
float[] columnsOut = new float[6];
Kernels.Softmax(columns, columnsOut, [3, 2], axis: 0);   // the runtime kernel, for a shape known at run time
Print("kernels_softmax", columnsOut);

float[] y = [0.25f, 0.25f, 0.5f, 0.125f, 0.375f, 0.5f];   // softmax outputs, exact in float
float[] dy = [1f, 2f, 3f, 0f, -1f, 2f];
float[] dx = new float[6];
MyKernels.ProbsBackward(y, dy, dx);
Print("softmax_gradient", dx);

double[] logY = [-1, -2, -0.5, -0.25, -3, -1.5];
double[] logDy = [1, 2, 3, 0.5, -1, 2];
MyKernels.LogProbsBackward(logY, logDy, logDy);          // the gradient over dy (same memory)
Print("logsoftmax_gradient", logDy);

float[] ceLogits = [1f, 2f, 3f, -1f, 0f, 0.5f];
float[] ceLosses = new float[2];
MyKernels.Loss(ceLogits, [2, 0], ceLosses, ceLogits);   // the gradient of the mean loss over the logits
Print("ce_loss", ceLosses);
Print("ce_gradient", ceLogits);

try
{
    MyKernels.Probs(new float[5], probs);
    Console.WriteLine("wrong_length no exception");
}
catch (ArgumentException e)
{
    Console.WriteLine($"wrong_length {e.GetType().Name}: {e.Message}");
}

static void Print<T>(string name, T[] values) where T : IFormattable
{
    for (int i = 0; i < values.Length; i++)
    {
        Console.WriteLine($"{name} {i} {values[i].ToString("R", CultureInfo.InvariantCulture)}");
    }
}

public static partial class MyKernels
{
    [Softmax(2, 3)]
    public static partial void Probs(ReadOnlySpan<float> input, Span<float> output);

    [LogSoftmax(2, 3)]
    public static partial void LogProbs(Span<double> data);

    [Softmax(2, 3)]
    public static partial void TensorProbs(ReadOnlyTensorSpan<float> input, TensorSpan<float> output);

    [SoftmaxGradient(2, 3)]
    public static partial void ProbsBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    [LogSoftmaxGradient(-1, 3)]
    public static partial void LogProbsBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> dy, Span<double> dx);

    [SoftmaxCrossEntropy(-1, 3)]
    public static partial void Loss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logitsGradient);
}
EOF

step "build the app (warnings as errors)"
dotnet build -c Release --no-restore --disable-build-servers -warnaserror -p:TreatWarningsAsErrors=true \
  -p:EmitCompilerGeneratedFiles=true 2>&1 | tee "$work/build.log"
grep -q 'CS9057' "$work/build.log" && fail "the compiler did not load the generator (CS9057)"
grep -q 'buildTransitive/KernelGen.targets' obj/KernelGenUser.csproj.nuget.g.targets \
  || fail "the app does not import buildTransitive/KernelGen.targets"
generated="obj/Release/net10.0/generated/KernelGen.Generator/KernelGen.Generator.SoftmaxGenerator"
count=$(ls "$generated"/*.g.cs 2>/dev/null | wc -l)
[ "$count" = 6 ] || fail "expected 6 generated kernels in $generated, found $count"

step "run the app"
dotnet run -c Release --no-build > "$work/output.txt"
cat "$work/output.txt"
# Again without AVX (DOTNET_EnableAVX=0): no Vector256, the instruction set NativeAOT targets by default (x86-64-v2),
# for the native executable below to match exactly. On x64 its values may differ from the first run's in the last bit.
DOTNET_EnableAVX=0 dotnet run -c Release --no-build > "$work/output-noavx.txt"

step "check its output (both runs) against awk's float64 reference"
for output in output.txt output-noavx.txt; do
awk '
  # values: the 3 elements of one row, printed as name (first + (i - 1) * stride) for i = 1 to 3.
  function check(name, first, stride, values, rel, abs,    i, m, s, e, want, got, key) {
    m = values[1]; for (i = 2; i <= 3; i++) if (values[i] > m) m = values[i]
    s = 0; for (i = 1; i <= 3; i++) s += exp(values[i] - m)
    for (i = 1; i <= 3; i++) {
      want = (name ~ /^logsoftmax/) ? (values[i] - m) - log(s) : exp(values[i] - m) / s
      key = name " " (first + (i - 1) * stride)
      if (!(key in out)) { print "missing: " key; bad++; continue }
      got = out[key]; seen[key] = 1
      e = got - want; if (e < 0) e = -e
      if (e > abs + rel * (want < 0 ? -want : want)) { printf "%s: got %.17g, want %.17g\n", key, got, want; bad++ }
      checked++
    }
  }
  # A gradient row: softmax dx = y (dy - sum(dy y)); log-softmax dx = dy - exp(y) sum(dy).
  function check_gradient(name, first, y, dy, rel, abs,    i, s, want, got, key, e) {
    s = 0; for (i = 1; i <= 3; i++) s += (name ~ /^logsoftmax/) ? dy[i] : dy[i] * y[i]
    for (i = 1; i <= 3; i++) {
      want = (name ~ /^logsoftmax/) ? dy[i] - exp(y[i]) * s : y[i] * (dy[i] - s)
      key = name " " (first + i - 1)
      if (!(key in out)) { print "missing: " key; bad++; continue }
      got = out[key]; seen[key] = 1
      e = got - want; if (e < 0) e = -e
      if (e > abs + rel * (want < 0 ? -want : want)) { printf "%s: got %.17g, want %.17g\n", key, got, want; bad++ }
      checked++
    }
  }
  # A cross-entropy row: loss = log(sum(exp(x - m))) - (x[t] - m), gradient (softmax - onehot(t)) / counted.
  function check_ce(row, x, t, counted,    i, m, s, want, got, key, e) {
    m = x[1]; for (i = 2; i <= 3; i++) if (x[i] > m) m = x[i]
    s = 0; for (i = 1; i <= 3; i++) s += exp(x[i] - m)
    want = log(s) - (x[t + 1] - m); key = "ce_loss " row
    if (!(key in out)) { print "missing: " key; bad++ } else {
      got = out[key]; seen[key] = 1; e = got - want; if (e < 0) e = -e
      if (e > 6e-7 * want) { printf "%s: got %.17g, want %.17g\n", key, got, want; bad++ }
      checked++
    }
    for (i = 1; i <= 3; i++) {
      want = (exp(x[i] - m) / s - (i == t + 1 ? 1 : 0)) / counted
      key = "ce_gradient " (3 * row + i - 1)
      if (!(key in out)) { print "missing: " key; bad++; continue }
      got = out[key]; seen[key] = 1
      e = got - want; if (e < 0) e = -e
      if (e > 1e-6 * (want < 0 ? -want : want) + 1e-38) { printf "%s: got %.17g, want %.17g\n", key, got, want; bad++ }
      checked++
    }
  }
  $1 == "wrong_length" { wrong = $0; next }
  NF == 3 { out[$1 " " $2] = $3 + 0; next }
  { print "unexpected line: " $0; bad++ }
  END {
    # float: within a few ULP of the float64 result (2^-23 is about 1.2e-7); double: within 1e-13.
    split("1 2 3", v); check("softmax_small", 0, 1, v, 5e-7, 1e-38)
    split("-1 0 0.5", v); check("softmax_small", 3, 1, v, 5e-7, 1e-38)
    split("1000 1001 1002", v); check("softmax_large", 0, 1, v, 5e-7, 1e-38)
    split("-50 50 0", v); check("softmax_large", 3, 1, v, 5e-7, 1e-38)
    split("0.5 -2 4", v); check("logsoftmax", 0, 1, v, 1e-13, 1e-13)
    split("10 10 10", v); check("logsoftmax", 3, 1, v, 1e-13, 1e-13)
    split("1 2 3", v); check("tensor_softmax", 0, 1, v, 5e-7, 1e-38)
    split("-1 0 0.5", v); check("tensor_softmax", 3, 1, v, 5e-7, 1e-38)
    split("1000 1001 1002", v); check("kernels_softmax", 0, 2, v, 5e-7, 1e-38)
    split("-50 50 0", v); check("kernels_softmax", 1, 2, v, 5e-7, 1e-38)
    split("0.25 0.25 0.5", y); split("1 2 3", d); check_gradient("softmax_gradient", 0, y, d, 2.5e-7, 1e-38)
    split("0.125 0.375 0.5", y); split("0 -1 2", d); check_gradient("softmax_gradient", 3, y, d, 2.5e-7, 1e-38)
    split("-1 -2 -0.5", y); split("1 2 3", d); check_gradient("logsoftmax_gradient", 0, y, d, 1e-13, 1e-13)
    split("-0.25 -3 -1.5", y); split("0.5 -1 2", d); check_gradient("logsoftmax_gradient", 3, y, d, 1e-13, 1e-13)
    split("1 2 3", v); check_ce(0, v, 2, 2)
    split("-1 0 0.5", v); check_ce(1, v, 0, 2)
    for (k in out) if (!(k in seen)) { print "unchecked value: " k; bad++ }
    expected = "wrong_length ArgumentException: The span '"'"'input'"'"' has 5 elements, but shape [2, 3] has 6: expected length 6, actual length 5. (Parameter '"'"'input'"'"')"
    if (wrong != expected) { print "wrong length: got \"" wrong "\"\n  want \"" expected "\""; bad++ }
    if (checked != 50) { print "checked " checked " values, expected 50"; bad++ }
    if (bad) exit 1
    print "   " checked " values within tolerance, and the wrong span length threw ArgumentException"
  }' "$work/$output" || fail "the app printed wrong results ($output)"
done

# ---------------------------------------------------------------------------------------------------------------
# NativeAOT: the same app published as a native executable for this machine's runtime identifier, with the trimming
# and AOT analyzers' warnings as errors (TrimmerSingleWarn=false: one warning per problem, none hidden in a summary
# line). The SDK restores the ILCompiler package itself, into this test's empty package cache. A copy of the app, so
# that its restore for a runtime identifier leaves the app's own obj/ (used again below) as it was.
aot_app="$work/aot-app"
mkdir "$aot_app"
cp KernelGenUser.csproj Program.cs nuget.config "$aot_app/"
cd "$aot_app"
rid=$(dotnet msbuild KernelGenUser.csproj -getProperty:NETCoreSdkRuntimeIdentifier)
[ -n "$rid" ] || fail "could not read the machine's runtime identifier (NETCoreSdkRuntimeIdentifier)"
aot_options=(-c Release -r "$rid" --disable-build-servers -warnaserror -p:TreatWarningsAsErrors=true
             -p:PublishAot=true -p:TrimmerSingleWarn=false)
instruction_set_message='KernelGen: IlcInstructionSet is not set, so NativeAOT targets the baseline x64 instruction set'
aot_start=$(date +%s)

step "NativeAOT: publish the app for $rid (PublishAot=true, no IlcInstructionSet)"
dotnet publish "${aot_options[@]}" -o "$work/native" > "$work/aot.log" 2>&1 || { cat "$work/aot.log"; fail "the NativeAOT publish failed"; }
grep -E '(warning|error) [A-Z]+[0-9]+' "$work/aot.log" && fail "the NativeAOT publish reported the warnings or errors above"
[ -x "$work/native/KernelGenUser" ] || { cat "$work/aot.log"; fail "the NativeAOT publish made no executable $work/native/KernelGenUser"; }
[ ! -e "$work/native/KernelGenUser.dll" ] || fail "the NativeAOT publish has a KernelGenUser.dll beside the executable: it was not compiled ahead of time"
case "$rid" in
  *-x64)
    grep -qF "$instruction_set_message" "$work/aot.log" \
      || { cat "$work/aot.log"; fail "KernelGen's targets did not say that IlcInstructionSet is not set"; }
    grep -o "$instruction_set_message[^:]*" "$work/aot.log" | head -n 1 | sed 's/^/   message: /' ;;
esac
echo "   $(stat -c %s "$work/native/KernelGenUser") bytes: $work/native/KernelGenUser"

step "NativeAOT: run the native executable; it prints exactly what the JIT build printed without AVX"
"$work/native/KernelGenUser" > "$work/output-native.txt" || fail "the native executable failed"
diff "$work/output-noavx.txt" "$work/output-native.txt" \
  || fail "the native executable printed something else than the JIT build with DOTNET_EnableAVX=0 (diff above)"
echo "   $(wc -l < "$work/output-native.txt") lines, identical"

if [ "${rid##*-}" = x64 ]; then
  step "NativeAOT: publish again with IlcInstructionSet=native (no message), run it: exactly what the JIT build printed"
  dotnet publish "${aot_options[@]}" -p:IlcInstructionSet=native -o "$work/native-isa" > "$work/aot-native.log" 2>&1 \
    || { cat "$work/aot-native.log"; fail "the NativeAOT publish with IlcInstructionSet=native failed"; }
  grep -q 'KernelGen: ' "$work/aot-native.log" \
    && { cat "$work/aot-native.log"; fail "KernelGen's targets printed their message although IlcInstructionSet=native"; }
  "$work/native-isa/KernelGenUser" > "$work/output-native-isa.txt" || fail "the native executable (IlcInstructionSet=native) failed"
  diff "$work/output.txt" "$work/output-native-isa.txt" \
    || fail "the native executable (IlcInstructionSet=native) printed something else than the JIT build (diff above)"
  echo "   $(wc -l < "$work/output-native-isa.txt") lines, identical"
fi
echo "   the NativeAOT steps took $(( $(date +%s) - aot_start )) s"
cd "$app"

# ---------------------------------------------------------------------------------------------------------------
step "the compiler guard: a too-old compiler (simulated: CompilerApiVersion=roslyn4.14) stops the build"
expect_guard() { # log file: the build failed with KG9001 naming the SDK, before the compiler ran
  grep -q 'error KG9001: KernelGen needs the .NET SDK 10.0.100 or later' "$1" \
    || { cat "$1"; fail "the build with an old compiler did not fail with error KG9001 naming SDK 10.0.100"; }
  grep -q 'error CS' "$1" && { cat "$1"; fail "the compiler ran although the guard failed the build"; }
  grep -o 'error KG9001: .*' "$1" | head -n 1 | sed 's/ \[[^]]*\]$//; s/^/   /'
}
if dotnet build -c Release --no-restore --disable-build-servers -p:CompilerApiVersion=roslyn4.14 > "$work/old.log" 2>&1; then
  cat "$work/old.log"; fail "the build with an old compiler succeeded"
fi
expect_guard "$work/old.log"
step "the compiler guard: the oldest supported compiler (CompilerApiVersion=roslyn5.0) builds"
dotnet build -c Release --no-restore --disable-build-servers -warnaserror -p:CompilerApiVersion=roslyn5.0 > "$work/min.log" 2>&1 \
  || { cat "$work/min.log"; fail "the build with compiler 5.0 failed"; }

step "the compiler guard: a real older compiler (Microsoft.Net.Compilers.Toolset 4.14.0) stops the build"
# The same project, compiled by the C# compiler 4.14 from NuGet. Without the guard this compiler skips the generator
# (CS9057) and fails on the bodiless partial methods (CS8795); RoslynCompilerType=Custom makes the .NET 10 SDK use
# the compiler package instead of its own.
old_app="$work/old-compiler"
mkdir "$old_app"
cp KernelGenUser.csproj Program.cs nuget.config "$old_app/"
cd "$old_app"
dotnet add package Microsoft.Net.Compilers.Toolset --version 4.14.0
if dotnet build -c Release --no-restore --disable-build-servers -p:RoslynCompilerType=Custom > "$work/toolset.log" 2>&1; then
  cat "$work/toolset.log"; fail "the build with compiler 4.14 succeeded"
fi
grep -q 'CompilerApiVersion=roslyn4.14' "$work/toolset.log" || { cat "$work/toolset.log"; fail "the build did not use compiler 4.14"; }
expect_guard "$work/toolset.log"
cd "$work"

# ---------------------------------------------------------------------------------------------------------------
step "reproducibility: pack again from a fresh clone at another path"
if [ -n "$(git -C "$repo" status --porcelain)" ]; then
  echo "   skipped: the working tree has uncommitted changes, which a clone would not have"
else
  git clone -q "$repo" "$work/clone"
  # The clone builds with its own intermediate files; only its package cache is shared.
  unset NUGET_PACKAGES
  dotnet pack "$work/clone/src/Runtime/KernelGen.Runtime.csproj" "${pack_options[@]}" -o "$work/feed2"
  for f in lib/net10.0/KernelGen.Runtime.dll lib/net10.0/KernelGen.Runtime.xml analyzers/dotnet/cs/KernelGen.Generator.dll; do
    a=$(unzip -p "$work/feed/$package" "$f" | sha256sum | cut -d' ' -f1)
    b=$(unzip -p "$work/feed2/$package" "$f" | sha256sum | cut -d' ' -f1)
    [ "$a" = "$b" ] || fail "$f differs between the two builds ($a, $b)"
    echo "   identical: $f ($a)"
  done
  symbols="KernelGen.$version.snupkg"
  a=$(unzip -p "$work/feed/$symbols" lib/net10.0/KernelGen.Runtime.pdb | sha256sum | cut -d' ' -f1)
  b=$(unzip -p "$work/feed2/$symbols" lib/net10.0/KernelGen.Runtime.pdb | sha256sum | cut -d' ' -f1)
  [ "$a" = "$b" ] || fail "the runtime's PDB in $symbols differs between the two builds ($a, $b)"
  echo "   identical: $symbols lib/net10.0/KernelGen.Runtime.pdb ($a)"
  differing=""
  while read -r entry; do
    pattern=$(printf '%s' "$entry" | sed 's/[][*?]/\\&/g')   # unzip reads [ ] * ? as wildcards
    [ "$(unzip -p "$work/feed/$package" "$pattern" | sha256sum)" = "$(unzip -p "$work/feed2/$package" "$pattern" | sha256sum)" ] \
      || differing="$differing $entry"
  done < "$work/entries.txt"
  [ -z "$differing" ] || fail "these entries of $package differ between the two builds:$differing"
  echo "   identical: the content of every entry of $package"
  # With entries equal, only zip metadata (entry timestamps) can differ: NuGet takes them from SOURCE_DATE_EPOCH
  # where it supports DeterministicTimestamp (the NuGet of the .NET SDK 10.0.401 does).
  for f in "$package" "$symbols"; do
    if cmp -s "$work/feed/$f" "$work/feed2/$f"; then
      echo "   identical: the whole $f file (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
    else
      echo "   note: the $f files are not byte-identical (zip metadata: this SDK's NuGet ignores SOURCE_DATE_EPOCH)"
    fi
  done
fi

echo "test-package: all package checks passed"
