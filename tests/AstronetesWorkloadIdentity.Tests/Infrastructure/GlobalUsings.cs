// The test project has no <Using Include="Xunit" />; every test file needs xunit.
global using Xunit;
